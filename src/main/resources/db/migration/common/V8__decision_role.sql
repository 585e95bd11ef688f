-- The role under which a decision was made (MANAGER or SECURITY), as the approval service verified it. Provisioning
-- and lifecycle steps check it before they act. Earlier decisions were all made through that service, which checked
-- the stage's role, so they take their stage.
alter table request_decision add column decided_as varchar(16);
update request_decision set decided_as = stage;
