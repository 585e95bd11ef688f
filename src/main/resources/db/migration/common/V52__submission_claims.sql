-- A submission held one row (V45's cluster_run 'request-submit') from its checks to its commit, so every submission in
-- the cluster ran one after the other. It now holds only the rows its claims fall on (RequestRepository.holdClaims):
-- its submission key, and the IAM user name a new application would take or the application a change names. Two
-- submissions that claim the same run one after the other, on one node or two; the others no longer wait.
create table submission_lock (stripe int primary key);
insert into submission_lock (stripe) values
    (0),(1),(2),(3),(4),(5),(6),(7),(8),(9),(10),(11),(12),(13),(14),(15),
    (16),(17),(18),(19),(20),(21),(22),(23),(24),(25),(26),(27),(28),(29),(30),(31),
    (32),(33),(34),(35),(36),(37),(38),(39),(40),(41),(42),(43),(44),(45),(46),(47),
    (48),(49),(50),(51),(52),(53),(54),(55),(56),(57),(58),(59),(60),(61),(62),(63);
-- V45's row stays for now: a node of the release before still takes it at every submission while the other node
-- already runs this one (a rolling upgrade), and would fail without it. A later release deletes it.
