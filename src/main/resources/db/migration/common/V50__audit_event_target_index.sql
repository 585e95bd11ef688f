-- One target's audit rows, newest first: a key's life on its request's page (one read per open of the page), an
-- application's evidence pack, the owner-back notice. Without an index each read went through every row of the log:
-- at a million rows, 86 ms on each open of a request's page (README "Performance", "One target's audit rows").
create index ix_audit_event_target on audit_event (target, seq);
