-- The status a key had before its last change: a key the expiry watch deleted after a person had disabled it is
-- not renewed like one that simply ran out (a new key after a disable is security's decision).
alter table api_key add column status_before varchar(20);
-- Keys the expiry watch deleted before this column existed: its audit entry says what status it deleted them from.
update api_key set status_before = 'INACTIVE'
where status = 'DELETED' and status_changed_by = 'expiry-watch' and exists (
    select 1 from audit_event e where e.action = 'KEY_DELETED_EXPIRED' and e.target = 'key:' || cast(api_key.id as varchar(20))
      and e.details like '%, INACTIVE _ DELETED;%');
