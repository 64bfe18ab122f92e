-- detect/account_cluster: the cluster an account belongs to in a run, with its size and score.
-- inputs: run_members, run_clusters, run_scores
-- params: $run_id, $account_id
SELECT m.cluster_id, c.size, s.score, s.band, m.n_links, m.strength, m.n_requests, m.first_seen, m.last_seen
FROM run_members AS m
JOIN run_clusters AS c ON c.run_id = m.run_id AND c.cluster_id = m.cluster_id
LEFT JOIN run_scores AS s ON s.run_id = m.run_id AND s.cluster_id = m.cluster_id
WHERE m.run_id = $run_id AND m.account_id = $account_id;
