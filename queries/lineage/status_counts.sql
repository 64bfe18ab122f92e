-- lineage/status_counts: lineage rows of a run per change status.
-- inputs: run_lineage
-- params: $run_id
SELECT status, count(*) AS n
FROM run_lineage
WHERE run_id = $run_id
GROUP BY status
ORDER BY status;
