-- The global sending rate of an incident, shared by every process that sends for it (Bucket4j's state).
create table mg_rate_bucket (
  id         varchar(220) not null primary key,
  state      bytea,
  expires_at bigint
);

-- Every process delivering an incident registers here; a SENDING row whose sender is gone is in doubt.
create table mg_sender (
  id           bigint       not null primary key,
  incident_id  varchar(220) not null,
  host         varchar(200) not null,
  pid          bigint       not null,
  started_at   timestamp with time zone not null,
  heartbeat_at timestamp with time zone not null,
  current_rate double precision
);
create sequence mg_sender_seq;

-- The deliver step pages through sendable rows in snapshot order; without this index every page joins and
-- sorts the whole outbox.
create index mg_outbox_sendable_ix on mg_outbox (incident_id, seq) where status in ('PENDING', 'RETRY');
