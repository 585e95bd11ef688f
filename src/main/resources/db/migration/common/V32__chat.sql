-- Chat (issue 15). Secrets the portal keeps for a purpose other than an API key (a unit's Slack or Teams webhook URL),
-- sealed like API keys: AES-256-GCM under a data key wrapped by the master key; the hint is what the page may show.
create table sealed_setting (
    name            varchar(200) primary key,
    sealed_value    varchar(4000) not null,
    wrapped_key     varchar(400) not null,
    master_key_id   varchar(16) not null,
    hint            varchar(200) not null,
    updated_by      varchar(200) not null,
    updated_at      timestamp with time zone not null
);

-- The outbox carries chat posts beside mails: a chat row names its unit and channel, never the webhook URL (looked up
-- and opened at send time); its body is the message as JSON.
alter table mail_outbox add column channel varchar(8) default 'MAIL' not null;
alter table mail_outbox add column unit_id bigint;

-- A Slack request signature seen once (replays are refused); kept a little longer than the 5 minutes' tolerance.
create table chat_seen_signature (
    signature   varchar(100) primary key,
    seen_at     timestamp with time zone not null
);
create index ix_chat_seen_signature_at on chat_seen_signature (seen_at);
