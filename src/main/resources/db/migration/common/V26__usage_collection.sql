-- The usage collection (issue 12, monitoring.UsageCollection).

-- One row per collection run, claimed before any AWS look-up: a scheduled run's slot is its interval
-- ("S-<interval>-<n>"), so when several portal nodes wake up for the same interval only the first insert wins and the
-- others skip (as the expiry watch claims each reminder); a manual run ("Refresh now") gets a slot of its own.
create table usage_collection_run (
    slot          varchar(64) primary key,
    triggered_by  varchar(64) not null,
    started_at    timestamp with time zone not null,
    finished_at   timestamp with time zone,
    applications  integer,                -- applications collected
    failures      integer,                -- applications whose look-up failed (their rows carry the error)
    skipped       integer                 -- active applications over portal.usage.max-applications
);

-- The simulated account remembers the models a key's policy allowed at its creation, so its simulated calls name a
-- model and cost what that model costs (catalog.ModelPrices). Null for keys of before: the fallback model's price.
alter table sandbox_key_usage add column models varchar(2000);
