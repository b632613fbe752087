-- makegood's own tables. Every key that protects a promise is a database constraint, not application logic.

create table mg_incident (
  id                   varchar(200)  not null primary key,
  title                varchar(500)  not null,
  spec_hash            varchar(64)   not null,
  spec_text            varchar(1000000)          not null,
  created_at           timestamp with time zone not null,
  updated_at           timestamp with time zone not null,
  -- set once the audience snapshot is complete; from then on the audience is frozen
  snapshot_at          timestamp with time zone,
  audience_size        integer,
  audience_fingerprint varchar(64)
);

-- one row per spec edit between runs of the same incident, so the report can say what changed
create table mg_incident_event (
  incident_id varchar(200) not null,
  at          timestamp with time zone not null,
  kind        varchar(40)  not null,
  detail      varchar(4000)
);
create index mg_incident_event_ix on mg_incident_event (incident_id, at);

create table mg_audience (
  incident_id        varchar(200)  not null,
  seq                bigint        not null,
  account_id         varchar(100)  not null,
  email              varchar(320)  not null,
  email_key          varchar(320)  not null,
  name               varchar(200),
  plan               varchar(100),
  currency           char(3),
  monthly_fee        numeric(19,6),
  locale             varchar(35),
  attributes         varchar(1000000),
  -- the account whose message announces this account's credit (accounts sharing one address get one message)
  primary_account_id varchar(100)  not null,
  suppressed         varchar(30),
  primary key (incident_id, account_id)
);
create unique index mg_audience_seq_ux on mg_audience (incident_id, seq);
create index mg_audience_email_ix on mg_audience (incident_id, email_key);

create table mg_audience_reject (
  incident_id varchar(200) not null,
  row_no      bigint       not null,
  account_id  varchar(100),
  reason      varchar(40)  not null,
  detail      varchar(500),
  primary key (incident_id, row_no)
);

create table mg_suppression (
  email_key  varchar(320) not null primary key,
  reason     varchar(30)  not null,
  detail     varchar(500),
  created_at timestamp with time zone not null
);

create table mg_credit (
  incident_id varchar(200) not null,
  account_id  varchar(100) not null,
  kind        varchar(20)  not null,
  amount      numeric(19,6),
  currency    char(3),
  item        varchar(200),
  status      varchar(20)  not null,
  expires_at  timestamp with time zone,
  created_at  timestamp with time zone not null,
  updated_at  timestamp with time zone not null,
  constraint mg_credit_one_per_account primary key (incident_id, account_id)
);

create table mg_outbox (
  incident_id     varchar(200)  not null,
  account_id      varchar(100)  not null,
  seq             bigint        not null,
  recipient       varchar(320)  not null,
  status          varchar(20)   not null,
  covers          integer       default 1 not null,
  attempts        integer       default 0 not null,
  next_attempt_at timestamp with time zone,
  claimed_by      bigint,
  claimed_at      timestamp with time zone,
  sent_at         timestamp with time zone,
  last_error      varchar(1000),
  message_id      varchar(300)  not null,
  created_at      timestamp with time zone not null,
  updated_at      timestamp with time zone not null,
  constraint mg_outbox_one_per_account primary key (incident_id, account_id)
);
create index mg_outbox_status_ix on mg_outbox (incident_id, status, seq);

-- who is running an incident right now; a heartbeat tells a live run from one killed with -9
create table mg_run_lock (
  incident_id  varchar(200) not null primary key,
  owner        varchar(200) not null,
  host         varchar(200) not null,
  pid          bigint       not null,
  heartbeat_at timestamp with time zone not null
);
