-- scoring/cluster_members: the members of every cluster of a run, with the cluster’s size (the base of the account-level feature tables).
-- inputs: run_members
-- params: $run_id
-- cid and mid number the clusters and the members 1.. in the order of their
-- ids: the feature queries group on these integers, which costs a fraction
-- of grouping on the text ids; run_features turns cid back into cluster_id.
CREATE OR REPLACE TEMP TABLE cluster_members AS
SELECT dense_rank() OVER (ORDER BY cluster_id)::INTEGER AS cid,
       dense_rank() OVER (ORDER BY account_id)::INTEGER AS mid,
       cluster_id, account_id,
       count(*) OVER (PARTITION BY cluster_id) AS cluster_size
FROM (SELECT DISTINCT cluster_id, account_id FROM run_members WHERE run_id = $run_id)
