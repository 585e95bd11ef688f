-- Issue 16: "applications whose key expires within N days" starts from the keys that expire in that window
-- (this index) instead of computing every application's newest key expiry.
create index ix_api_key_expires on api_key (expires_at, application_id);
