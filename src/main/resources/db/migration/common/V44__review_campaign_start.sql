-- Starting an access-review campaign holds this row until it commits (ClusterRuns.holdUntilCommit): two starts at
-- once (the quarterly timer and security's Start, on one node or two) run one after the other, and the second finds
-- the first's campaign open.
insert into cluster_run (name) values ('review-campaign');
