-- How a rotation hands over an application's new key: REVEAL (its owner reveals it once, as always) or
-- SECRETS_MANAGER (it goes straight into the application's Secrets Manager copy, nobody reveals it; only for an
-- application that keeps a copy). Set on the application page beside its scheduled rotation.
alter table application add column rotation_delivery varchar(20) default 'REVEAL' not null;
alter table application add constraint ck_application_rotation_delivery
    check (rotation_delivery in ('REVEAL', 'SECRETS_MANAGER'));
-- A rotation's key handed over to its application's Secrets Manager copy (made current there) instead of revealed.
alter table api_key add column delivered_to_secret boolean default false not null;
