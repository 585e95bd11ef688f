-- Usage and spend as AWS last reported them (issue 12), per application: written by the scheduled usage collection
-- (monitoring), read by the dashboard, the applications list and the alert rules. Nothing here is a secret; the
-- source of truth stays in AWS (CloudTrail, Cost Explorer, Budgets) — these rows are the last answer, with its time.

-- Bedrock runtime calls made by an application's IAM user, per UTC day (CloudTrail LookupEvents).
create table usage_day (
    application_id   bigint not null references application (id),
    usage_date       date not null,
    invocations      integer not null,                  -- every Bedrock runtime call, refused ones included
    access_denied    integer not null,                  -- calls refused with AccessDenied*
    outside_ranges   integer not null,                  -- calls from an address outside the application's IP ranges
    input_tokens     bigint not null default 0,         -- as far as the trail (or the simulation) tells them
    output_tokens    bigint not null default 0,
    cost_usd         numeric(14, 6) not null default 0, -- Cost Explorer's unblended cost of that day (application tag)
    refreshed_at     timestamp with time zone not null,
    primary key (application_id, usage_date)
);
create index ix_usage_day_date on usage_day (usage_date);

-- The latest look at each application's use: last call, the addresses it came from, and whether the look failed.
create table usage_summary (
    application_id   bigint primary key references application (id),
    last_used_at     timestamp with time zone,          -- last Bedrock runtime call that AWS accepted (null: none seen)
    last_call_at     timestamp with time zone,          -- last Bedrock runtime call of any outcome
    source_ips       varchar(2000),                     -- distinct source addresses of the window, comma-separated
    calls_in_window  integer not null default 0,
    window_from      timestamp with time zone,
    refreshed_at     timestamp with time zone not null,
    error            varchar(500)                       -- why AWS could not be read on the last look (null: it was)
);

-- Notable single calls kept for the alert rules and their evidence (refused calls, calls from outside the ranges).
create table usage_event (
    event_id         varchar(128) primary key,          -- CloudTrail's event id: a replayed collection adds nothing
    application_id   bigint not null references application (id),
    event_time       timestamp with time zone not null,
    kind             varchar(16) not null,              -- DENIED | OUTSIDE_RANGE
    event_name       varchar(64) not null,
    source_ip        varchar(64),
    region           varchar(32),
    error_code       varchar(64),
    credential_id    varchar(32)
);
create index ix_usage_event_app_time on usage_event (application_id, event_time);
create index ix_usage_event_time on usage_event (event_time);

-- Month-to-date spend and forecast against the budget, per unit budget and per application budget
-- (Budgets DescribeBudget: CalculatedSpend.ActualSpend / ForecastedSpend).
create table spend_month (
    scope            varchar(16) not null,              -- UNIT | APPLICATION
    scope_id         bigint not null,                   -- business_unit.id or application.id
    period           varchar(7) not null,               -- the month, yyyy-MM (UTC)
    business_unit_id bigint not null references business_unit (id),
    budget_name      varchar(100),
    budget_usd       numeric(12, 2),
    actual_usd       numeric(14, 2),
    forecast_usd     numeric(14, 2),
    alert_threshold  integer,                           -- the budget's alert threshold, percent of the budget
    refreshed_at     timestamp with time zone not null,
    error            varchar(500),
    primary key (scope, scope_id, period)
);
create index ix_spend_month_unit on spend_month (business_unit_id, period);
