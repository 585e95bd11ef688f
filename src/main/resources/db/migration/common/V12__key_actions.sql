-- Key actions (disable, re-enable, revoke): who last changed a key's status by hand, when, and why.
-- (V11 is left for the application model built in parallel.)
alter table api_key add column status_reason varchar(500);
alter table api_key add column status_changed_by varchar(128);
alter table api_key add column status_changed_at timestamp with time zone;
