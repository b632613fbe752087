-- Set by `makegood stop`, cleared when an operator runs or delivers the incident again. While it is set the
-- automatic paths (nightly, release-capped) leave the incident alone: a send halted because it went to the wrong
-- people must not be finished by the next night's resume.
alter table mg_incident add column held_at timestamp with time zone;
