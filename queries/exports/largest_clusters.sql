-- exports/largest_clusters: the five largest clusters of a run and how many it has (for error messages).
-- inputs: run_clusters
-- params: $run_id
SELECT cluster_id, count(*) OVER () AS n_clusters
FROM run_clusters
WHERE run_id = $run_id
ORDER BY size DESC, cluster_id
LIMIT 5;
