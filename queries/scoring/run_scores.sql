-- scoring/run_scores: store the scores computed in Python (registered as the view new_scores).
-- inputs: new_scores
-- params: $run_id
INSERT INTO run_scores
SELECT $run_id, cluster_id, score, band, points, size_factor,
       CAST(contributions AS JSON), CAST(reasons AS JSON)
FROM new_scores
ORDER BY cluster_id
