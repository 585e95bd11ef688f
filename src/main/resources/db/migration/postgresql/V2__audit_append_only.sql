-- Append-only at the database level as well: the application role cannot update or delete audit rows.
-- (The hash chain still detects changes made by someone who disables this trigger.)
create function audit_event_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_event is append-only';
end;
$$;

create trigger audit_event_no_update_delete
    before update or delete on audit_event
    for each row execute function audit_event_append_only();
