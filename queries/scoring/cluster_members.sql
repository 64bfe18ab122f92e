-- scoring/cluster_members: the members of every cluster of a run, with the cluster’s size (the base of the account-level feature tables).
-- inputs: run_members
-- params: $run_id
CREATE OR REPLACE TEMP TABLE cluster_members AS
SELECT cluster_id, account_id, count(*) OVER (PARTITION BY cluster_id) AS cluster_size
FROM (SELECT DISTINCT cluster_id, account_id FROM run_members WHERE run_id = $run_id)
