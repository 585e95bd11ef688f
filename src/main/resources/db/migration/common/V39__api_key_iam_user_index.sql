-- An application's keys by its IAM user (the drift check per application, a decommission's plan and teardown, the
-- credentials a step knows), read with this index instead of every key of every application.
create index ix_api_key_iam_user on api_key (iam_user);
