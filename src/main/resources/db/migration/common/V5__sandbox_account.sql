-- The simulated AWS account of the embedded default. It never stores a key or a secret value, only fingerprints.
create table sandbox_iam_user (
    user_name  varchar(64) primary key,
    path       varchar(512) not null,
    arn        varchar(2048) not null,
    created_at timestamp with time zone not null
);
create table sandbox_iam_user_tag (
    user_name varchar(64) not null references sandbox_iam_user (user_name),
    tag_key   varchar(128) not null,
    tag_value varchar(256) not null,
    primary key (user_name, tag_key)
);
create table sandbox_user_policy (
    user_name   varchar(64) not null references sandbox_iam_user (user_name),
    policy_name varchar(128) not null,
    document    varchar(10000) not null,
    primary key (user_name, policy_name)
);
create table sandbox_credential (
    id           varchar(32) primary key,
    user_name    varchar(64) not null references sandbox_iam_user (user_name),
    service_name varchar(64) not null,
    status       varchar(16) not null,
    created_at   timestamp with time zone not null,
    expires_at   timestamp with time zone not null,
    fingerprint  char(64) not null
);
create table sandbox_budget (
    budget_name varchar(100) primary key,
    spec        varchar(8000) not null,
    updated_at  timestamp with time zone not null
);
create table sandbox_secret (
    name        varchar(512) primary key,
    arn         varchar(2048) not null,
    fingerprint char(64) not null,
    description varchar(2048),
    created_at  timestamp with time zone not null
);
