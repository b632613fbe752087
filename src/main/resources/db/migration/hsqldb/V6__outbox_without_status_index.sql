-- The delivery lanes' outcome update (where incident_id = ? and account_id = ? and status = 'SENDING') was planned
-- through this index once statistics showed few rows in SENDING. Every row passes through SENDING, so the range
-- it scans fills with dead entries: at a million accounts each update scanned hundreds of thousands of them and
-- delivery slowed to a few hundred messages per second. Lookups of one account use the primary key or
-- mg_outbox_account_ix; the whole-incident status queries (once per step, status, report) read the incident's rows.
drop index mg_outbox_status_ix;
