-- scoring/features_of_run: the stored features of every cluster of a run, in cluster order.
-- inputs: run_features
-- params: $run_id
SELECT * FROM run_features WHERE run_id = $run_id ORDER BY cluster_id
