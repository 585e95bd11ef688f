-- Owner leaves (issue 10): when an application's owner is removed from its unit, the application waits for a new
-- owner. orphaned_at: since when (null: it has an owner who belongs to the unit); orphaned_owner: who left;
-- orphan_keys_disabled_at: when its keys were disabled because nobody took it over within the grace period (set
-- once, so a key security re-enables afterwards is not disabled again). Handing the application over clears all
-- three. (V13-V15 are left to the other parts of issue 10 built in parallel.)
alter table application add column orphaned_at timestamp with time zone;
alter table application add column orphaned_owner varchar(128);
alter table application add column orphan_keys_disabled_at timestamp with time zone;
create index ix_application_orphaned on application (orphaned_at);
