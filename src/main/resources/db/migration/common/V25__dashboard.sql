-- The dashboard's pre-computed figures (issue 12): one row per audience — everything (security, admins) and each
-- manager's units — written by the scheduled refresh (portal.dashboard.refresh-interval) or "Refresh now", read on
-- every visit, so a visit costs one row read however many keys and audit rows there are. The body is JSON (counts,
-- sums, chart series and the rendered SVG charts); nothing in it is a secret.
create table dashboard_snapshot (
    scope          varchar(160) primary key,          -- "all" or "manager:<username>"
    body           text not null,
    refreshed_at   timestamp with time zone not null,
    took_ms        integer not null
);

-- One row: when the last refresh started, so two nodes do not both refresh at the same time (the second skips).
create table dashboard_refresh (
    id             integer primary key,
    started_at     timestamp with time zone not null,
    started_by     varchar(128) not null
);
insert into dashboard_refresh (id, started_at, started_by) values (1, timestamp with time zone '2000-01-01 00:00:00+00', 'migration');

-- The request list's order (newest first) and the applications list's per-row expiry look-up.
create index ix_access_request_created on access_request (created_at);
create index ix_api_key_application_status on api_key (application_id, status, expires_at);
