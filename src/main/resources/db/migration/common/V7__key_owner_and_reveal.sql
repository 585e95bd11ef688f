-- Who may reveal a key (its requester), and the acknowledgement of how it was stored.
alter table api_key add column requester varchar(128);
alter table api_key add column acknowledged varchar(400);
alter table api_key add column region varchar(32);
alter table api_key add column example_model varchar(200);
