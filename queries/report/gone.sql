-- report/gone: clusters of last week with no successor this week, with their score last week.
-- inputs: run_lineage, run_scores
-- params: $run_id
SELECT l.lineage_id,
       l.prev_cluster_ids[1] AS prev_cluster_id,
       l.prev_size,
       round(s.score, 1) AS prev_score,
       coalesce(s.band, 'unscored') AS prev_band
FROM run_lineage AS l
LEFT JOIN run_scores AS s ON s.run_id = l.prev_run_id AND s.cluster_id = l.prev_cluster_ids[1]
WHERE l.run_id = $run_id AND l.status = 'gone'
ORDER BY s.score DESC NULLS LAST, l.prev_size DESC, l.lineage_id;
