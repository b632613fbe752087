-- Audience safety (issue 5): four-eyes approvals and the cross-incident frequency cap.

-- `run --approve <plan-hash>` records the plan an operator approved; the guard step compares it with the plan
-- actually frozen. Kept apart from mg_incident because an approval can be given before the first run.
create table mg_approval (
  incident_id varchar(200) not null,
  plan_hash   varchar(64)  not null,
  approved_at timestamp with time zone not null,
  approved_by varchar(200)
);
create index mg_approval_ix on mg_approval (incident_id, approved_at);

-- the frequency cap looks up an account's recent messages across incidents
create index mg_outbox_account_ix on mg_outbox (account_id, status);
