-- As for mg_sender (V7): a container restarted in the same pod usually gets its predecessor's pid back (often
-- pid 1), and must still see the predecessor's run lock as abandoned rather than wait for its heartbeat to age.
alter table mg_run_lock add column process_started_at timestamp with time zone;
