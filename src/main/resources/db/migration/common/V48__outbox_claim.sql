-- Who is sending an outbox row (a token per claim): a send that finishes after another node took the row over (its
-- claim looked stale) no longer overwrites that node's result, and a row's claim time is its own, not its batch's.
alter table mail_outbox add column claim_token varchar(36);
