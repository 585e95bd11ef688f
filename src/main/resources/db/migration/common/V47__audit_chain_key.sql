-- The chain key a row's hash is an HMAC-SHA256 under (its id, the first 12 hex digits of the key's SHA-256); null for
-- rows written before the chain was keyed, whose hash is plain SHA-256. Whoever can write the database but does not
-- hold the key (portal.audit.chain-key, outside the database) can no longer recompute the chain after altering a row.
alter table audit_event add column chain_key varchar(12);
