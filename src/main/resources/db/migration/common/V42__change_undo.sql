-- A change request's application as it was before the change's first step touched AWS: when a later step of the change
-- fails, what the change had already applied (tags, policy, budget, the recorded access) is put back from here, so a
-- failed change leaves the application as it was instead of half changed. Taken once per change request.
create table application_access_before (
    request_id          bigint primary key references access_request (id),
    application_id      bigint not null references application (id),
    models              varchar(2000) not null,
    regions             varchar(400) not null,
    source_cidrs        varchar(2000),
    lifetime_days       integer not null,
    monthly_budget      numeric(12, 2) not null,
    alert_threshold     integer not null,
    alert_emails        varchar(2000) not null,
    store_secret        boolean not null,
    owner_email         varchar(320) not null,
    data_classification varchar(16) not null,
    tag_request_id      bigint,
    guardrail_arn       varchar(200),
    applied_policy_id   bigint,
    budget_name         varchar(200),
    taken_at            timestamp with time zone not null,
    restored_at         timestamp with time zone
);
