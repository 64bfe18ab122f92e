-- evaluate/truth_clusters: one run_clusters row per true group of a truth run.
-- inputs: run_members
-- params: $run_id
INSERT INTO run_clusters (run_id, cluster_id, size, n_requests, method, n_links, internal_weight, density,
                          n_identifiers, kinds, component_id, component_size)
SELECT $run_id, cluster_id, count(*), 0, 'truth', 0, 0.0, 0.0, 0, [], cluster_id, count(*)
FROM run_members
WHERE run_id = $run_id
GROUP BY cluster_id
ORDER BY cluster_id
