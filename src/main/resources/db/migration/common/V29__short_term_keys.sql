-- 12-hour keys (issue 14): a request or application may use short-term keys only. Such an application has an IAM role
-- (named like the IAM user it would otherwise have, recorded in application.iam_user) instead of a user with a
-- long-term key; its members get keys built from AssumeRole sessions, never stored.
alter table access_request add column short_term_only boolean default false not null;
alter table application add column short_term_only boolean default false not null;

-- The simulated account's IAM roles (the embedded default), like its users: never a credential, only names.
create table sandbox_iam_role (
    role_name           varchar(64) primary key,
    path                varchar(512) not null,
    arn                 varchar(2048) not null,
    trust_policy        varchar(2048) not null,
    max_session_seconds integer not null,
    created_at          timestamp with time zone not null
);
create table sandbox_iam_role_tag (
    role_name varchar(64) not null references sandbox_iam_role (role_name),
    tag_key   varchar(128) not null,
    tag_value varchar(256) not null,
    primary key (role_name, tag_key)
);
create table sandbox_role_policy (
    role_name   varchar(64) not null references sandbox_iam_role (role_name),
    policy_name varchar(128) not null,
    document    varchar(10000) not null,
    primary key (role_name, policy_name)
);
