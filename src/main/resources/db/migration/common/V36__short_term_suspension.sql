-- 12-hour keys suspended (an access review's revoke, a missed review, an owner who left): no key is issued until
-- security resumes it, and AWS refuses the sessions issued before (an inline deny on the role).
alter table application add column short_term_suspended_at timestamp with time zone;
alter table application add column short_term_suspended_by varchar(200);
alter table application add column short_term_suspended_reason varchar(1000);
