-- With the pid, the moment the process started names it even when the pid is reused: a restarted container's
-- makegood usually gets its predecessor's pid back, and must still see that predecessor as gone.
alter table mg_sender add column process_started_at timestamp with time zone;
