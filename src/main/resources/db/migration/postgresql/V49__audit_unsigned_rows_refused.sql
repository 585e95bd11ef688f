-- Once the chain is keyed, an unsigned row is refused: a node of a release before V47 left running beside an upgraded
-- one (README "Upgrading a node": this release needs both nodes stopped) fails its audited actions loudly instead of
-- writing unsigned rows after signed ones, which Verify chain would report as broken for good. The check runs only
-- for an unsigned row (a nested IF: SQL does not promise to evaluate AND left to right), so the portal's own inserts
-- pay nothing. (The embedded H2 default runs one node.)
create function audit_event_signed_only() returns trigger language plpgsql as $$
begin
    if new.chain_key is null then
        if exists (select 1 from audit_event where chain_key is not null) then
            raise exception 'audit_event: the chain is keyed; an unsigned row is refused (a node of an earlier release?)';
        end if;
    end if;
    return new;
end;
$$;

create trigger audit_event_signed_only
    before insert on audit_event
    for each row execute function audit_event_signed_only();
