-- A manager's Revoke in an access review revokes the application's keys one by one, each in its own transaction,
-- before the decision is recorded. While it does, the item records who is revoking, since when (renewed after each
-- key) and the revoke's own token; any other decision meanwhile (another manager's Keep, the same manager's second
-- tab) is refused. A revoke that stopped (a key AWS would not revoke) clears it; one not renewed for 5 minutes (its
-- node stopped) no longer holds the item.
alter table access_review_item add column revoking_by varchar(128);
alter table access_review_item add column revoking_since timestamp with time zone;
alter table access_review_item add column revoking_token varchar(36);
alter table access_review_item add constraint ck_access_review_item_revoking
    check ((revoking_by is null and revoking_since is null and revoking_token is null)
        or (revoking_by is not null and revoking_since is not null and revoking_token is not null));
