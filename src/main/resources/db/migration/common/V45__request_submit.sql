-- Submitting a request holds this row until it commits (ClusterRuns.holdUntilCommit): the checks before the insert (a
-- slug or IAM user name not yet asked for, no other request open for the application a change names, the submission
-- key not yet used) then see every earlier submission, so two submitted at once, on one node or two, cannot both pass.
insert into cluster_run (name) values ('request-submit');
