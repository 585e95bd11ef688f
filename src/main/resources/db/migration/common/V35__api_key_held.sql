-- A request's key is held from the step that creates it until its request is provisioned: it is not revealed while
-- later steps (budget, Secrets Manager copy) still run or after they failed.
alter table api_key add column held boolean default false not null;
