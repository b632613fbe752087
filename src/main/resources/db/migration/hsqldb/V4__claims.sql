-- Claim links, claims and the billing hand-off of claimed credits.

-- when the customer claimed the credit (CLAIMABLE -> CLAIMED), shown as "already applied on ..."
alter table mg_credit add column claimed_at timestamp with time zone;
-- when the billing webhook acknowledged the credit; null while it still has to be posted
alter table mg_credit add column billed_at timestamp with time zone;

-- Only the SHA-256 of a claim token is stored: the raw token exists in the message that carried it and nowhere
-- else. A credit can have one live link per message that announced it (purpose 'message' or 'reminder'); a
-- re-rendered message of the same purpose replaces its link.
create table mg_claim_token (
  token_hash  varchar(64)  not null primary key,
  incident_id varchar(200) not null,
  account_id  varchar(100) not null,
  purpose     varchar(20)  not null,
  expires_at  timestamp with time zone,
  created_at  timestamp with time zone not null
);
create unique index mg_claim_token_link_ux on mg_claim_token (incident_id, account_id, purpose);
create index mg_credit_status_ix on mg_credit (status, expires_at);

-- a reminder campaign is queued in the outbox as '<incident id>:reminder' (see io.makegood.credit.claim.Reminders)
alter table mg_outbox alter column incident_id set data type varchar(220);
alter table mg_run_lock alter column incident_id set data type varchar(220);
