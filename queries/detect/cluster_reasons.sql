-- detect/cluster_reasons: the score reasons (a JSON list of sentences) of every scored cluster of a run.
-- inputs: run_scores
-- params: $run_id
SELECT cluster_id, reasons
FROM run_scores
WHERE run_id = $run_id
ORDER BY cluster_id;
