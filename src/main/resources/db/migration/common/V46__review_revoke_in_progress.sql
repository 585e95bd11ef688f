-- A manager's Revoke in an access review revokes the application's keys one by one, each in its own transaction,
-- before the decision is recorded. While it does, the item records who is revoking and since when, and another
-- decision (a Keep by another manager) is refused; a revoke that stopped (a key AWS would not revoke) clears it, and one
-- begun more than 15 minutes ago (its node stopped) no longer holds the item.
alter table access_review_item add column revoking_by varchar(128);
alter table access_review_item add column revoking_since timestamp with time zone;
