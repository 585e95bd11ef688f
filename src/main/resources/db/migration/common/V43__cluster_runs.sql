-- Jobs that must run on one node at a time across the cluster (the drift check, the usage collection): one row per
-- job, claimed by a conditional update (ClusterRuns). A node that stops without releasing it holds it until
-- lease_until.
create table cluster_run (
    name        varchar(64) primary key,
    holder      varchar(200),
    started_at  timestamp with time zone,
    lease_until timestamp with time zone
);
insert into cluster_run (name) values ('drift');
insert into cluster_run (name) values ('usage');

-- At most one open drift finding per fingerprint, whichever node writes it: the fingerprint while open, null once
-- resolved (as alert.open_fingerprint). Two nodes could insert the same finding before this; all but the newest open
-- one of each fingerprint are resolved here.
alter table drift_finding add column open_fingerprint varchar(700);
update drift_finding set resolved_at = last_seen_at, resolution = 'AUTO',
    resolution_reason = 'a duplicate of a newer open finding (two nodes checked at once)'
 where resolved_at is null and exists (select 1 from drift_finding newer where newer.fingerprint = drift_finding.fingerprint
    and newer.resolved_at is null and newer.id > drift_finding.id);
update drift_finding set open_fingerprint = fingerprint where resolved_at is null;
alter table drift_finding add constraint uq_drift_finding_open unique (open_fingerprint);
