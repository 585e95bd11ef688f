-- The simulated account's CloudTrail and spend (issue 11, compromise evidence).
-- Events recorded as they happen: the portal's IAM calls on a user, and calls added through the sandbox console or
-- tests. The simulated Bedrock calls made with each key are not stored: they are derived, deterministically, from
-- sandbox_key_usage. Like CloudTrail's event history, nothing here goes away when the user or the key is deleted.
create table sandbox_trail_event (
    event_id      varchar(64) primary key,
    user_name     varchar(64) not null,       -- the IAM user the event is of (who called, or who was acted on)
    event_time    timestamp with time zone not null,
    event_name    varchar(64) not null,
    event_source  varchar(64) not null,
    source_ip     varchar(64),
    user_agent    varchar(256),
    region        varchar(32),
    error_code    varchar(64),
    credential_id varchar(32),
    cost_usd      numeric(12, 6)              -- what a recorded Bedrock call cost (null: derived from the event id)
);
create index ix_sandbox_trail_event_user on sandbox_trail_event (user_name, event_time);
create index ix_sandbox_trail_event_credential on sandbox_trail_event (credential_id, event_time);

-- Each Bedrock key's life as the simulated usage needs it, kept after the key is deleted (its past calls and spend
-- stay in the evidence) with the user's cost-allocation tags at the key's creation.
create table sandbox_key_usage (
    credential_id  varchar(32) primary key,
    user_name      varchar(64) not null,
    business_unit  varchar(256),
    application    varchar(256),
    created_at     timestamp with time zone not null,
    expires_at     timestamp with time zone not null,
    disabled_at    timestamp with time zone,   -- set when the key is made Inactive, cleared when made Active again
    deleted_at     timestamp with time zone,
    source_ranges  varchar(2000),              -- the aws:SourceIp ranges of the user's policy (comma-separated), or null
    regions        varchar(500)                -- its aws:RequestedRegion values, or null
);
create index ix_sandbox_key_usage_tags on sandbox_key_usage (business_unit, application);

insert into sandbox_key_usage (credential_id, user_name, business_unit, application, created_at, expires_at, disabled_at)
select c.id, c.user_name,
       (select t.tag_value from sandbox_iam_user_tag t where t.user_name = c.user_name and t.tag_key = 'business-unit'),
       (select t.tag_value from sandbox_iam_user_tag t where t.user_name = c.user_name and t.tag_key = 'application'),
       c.created_at, c.expires_at, case when c.status = 'Inactive' then c.created_at end
from sandbox_credential c where c.service_name = 'bedrock.amazonaws.com';
