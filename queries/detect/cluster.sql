-- detect/cluster: one cluster of a run with its score and reasons when scored.
-- inputs: run_clusters, run_scores
-- params: $run_id, $cluster_id
SELECT c.cluster_id, c.size, s.score, s.band, s.reasons, c.n_requests, c.first_seen, c.last_seen,
       c.method, c.n_links, c.internal_weight, c.density, c.n_identifiers, c.kinds,
       c.component_id, c.component_size, c.dense_block, c.dense_block_share
FROM run_clusters AS c
LEFT JOIN run_scores AS s ON s.run_id = c.run_id AND s.cluster_id = c.cluster_id
WHERE c.run_id = $run_id AND c.cluster_id = $cluster_id;
