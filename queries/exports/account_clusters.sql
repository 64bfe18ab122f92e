-- exports/account_clusters: the clusters an account belongs to in a run, best score first.
-- inputs: run_members, run_scores
-- params: $run_id, $account_id
SELECT m.cluster_id, s.score, s.band, s.reasons
FROM run_members AS m
LEFT JOIN run_scores AS s
       ON s.run_id = m.run_id AND s.cluster_id = m.cluster_id
WHERE m.run_id = $run_id
  AND m.account_id = $account_id
ORDER BY s.score DESC NULLS LAST, m.cluster_id;
