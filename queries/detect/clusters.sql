-- detect/clusters: the clusters of a run, highest score first (largest first when unscored).
-- inputs: run_clusters, run_scores
-- params: $run_id, $min_size, $limit
SELECT c.cluster_id, c.size, s.score, s.band, c.n_requests, c.first_seen, c.last_seen,
       c.n_identifiers, c.kinds, round(c.density, 4) AS density, c.component_size, c.method
FROM run_clusters AS c
LEFT JOIN run_scores AS s ON s.run_id = c.run_id AND s.cluster_id = c.cluster_id
WHERE c.run_id = $run_id AND c.size >= $min_size
ORDER BY s.score DESC NULLS LAST, c.size DESC, c.cluster_id
LIMIT $limit;
