-- The simulated account's secrets keep Secrets Manager's two labels a rotation uses: the value consumers read
-- (AWSCURRENT, its fingerprint in `fingerprint`) and a new key's value waiting for its owner's reveal (AWSPENDING).
alter table sandbox_secret add column current_version varchar(64);
alter table sandbox_secret add column pending_version varchar(64);
alter table sandbox_secret add column pending_fingerprint char(64);
