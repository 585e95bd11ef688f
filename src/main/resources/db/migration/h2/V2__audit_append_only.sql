-- H2 (embedded default) has no PL/pgSQL trigger; the hash chain detects any change to audit_event.
select 1;
