-- Requests are "new application" or "change" to an existing one. A change records the application's access as it
-- was when the request was submitted (the baseline its difference is computed from and shown to the approvers), whether
-- it asks for a new key, and whether it needed security's review (it widened access). Provisioning re-checks both: the
-- application must still have the baseline's access, and a change that skipped security must still widen nothing.
alter table access_request add column kind varchar(8) default 'NEW' not null;
alter table access_request add column new_key boolean default true not null;
alter table access_request add column security_review boolean default true not null;
alter table access_request add column base_models varchar(2000);
alter table access_request add column base_regions varchar(400);
alter table access_request add column base_source_cidrs varchar(2000);
alter table access_request add column base_lifetime_days integer;
alter table access_request add column base_monthly_budget numeric(12, 2);
alter table access_request add column base_store_secret boolean;
alter table access_request add column base_data_classification varchar(16);
