-- REST API (issue 15): an Idempotency-Key of POST /api/v1/requests, per caller, remembered for portal.api.idempotency-ttl:
-- the same key with the same body answers with the request it created; with another body it is refused.
create table api_idempotency (
    caller        varchar(128) not null,
    idem_key      varchar(128) not null,
    body_sha256   varchar(64) not null,
    request_id    bigint not null,
    created_at    timestamp with time zone not null,
    primary key (caller, idem_key)
);
create index ix_api_idempotency_created on api_idempotency (created_at);
