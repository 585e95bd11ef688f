-- The guardrail a change request's application required when the request was submitted, so that the request page can
-- show what the change does to it after the application has moved on (as access_request's base_* columns do for the
-- rest of its access). Earlier change requests get the guardrail of the application's last provisioned request before
-- them, which is what the portal read when they were submitted.
alter table request_risk add column base_guardrail_arn varchar(200);

update request_risk set base_guardrail_arn = (
    select g.guardrail_arn
    from access_request a
    join access_request p on p.application_id = a.application_id
    join request_risk g on g.request_id = p.id
    where a.id = request_risk.request_id and a.kind = 'CHANGE' and p.status = 'PROVISIONED' and p.id < a.id
    order by p.id desc
    fetch first 1 rows only);
