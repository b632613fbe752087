-- The global sending rate of an incident (Bucket4j state). HSQLDB runs use a local bucket; the table keeps the schemas alike.
create table mg_rate_bucket (
  id         varchar(220) not null primary key,
  state      varbinary(65536),
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
create sequence mg_sender_seq as bigint;
