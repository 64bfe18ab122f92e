-- evaluate/cluster_truth: per scored cluster of the run, its labelled members and how many of them are positive (the calibration targets).
-- inputs: run_features, run_members, eval_labels
-- params: $run_id
-- Clusters without labelled members are left out.  Rows follow
-- run_features in cluster order (scoring/features_of_run).
SELECT f.cluster_id,
       count(l.account_id) AS labelled,
       count(*) FILTER (WHERE l.positive) AS positives
FROM run_features AS f
JOIN run_members AS m ON m.run_id = f.run_id AND m.cluster_id = f.cluster_id
JOIN eval_labels AS l ON l.account_id = m.account_id
WHERE f.run_id = $run_id
GROUP BY f.cluster_id
ORDER BY f.cluster_id
