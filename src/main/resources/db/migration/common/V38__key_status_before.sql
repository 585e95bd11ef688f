-- The status a key had before its last change: a key the expiry watch deleted after a person had disabled it is
-- not renewed like one that simply ran out (a new key after a disable is security's decision).
alter table api_key add column status_before varchar(20);
