-- lineage/chain: a run and the earlier runs of its lineage chain, newest first, at most $depth steps back.
-- inputs: lineage_runs
-- params: $run_id, $depth
WITH RECURSIVE chain(run_id, week, prev_run_id, step) AS (
    SELECT run_id, week, prev_run_id, 0
    FROM lineage_runs
    WHERE run_id = $run_id
    UNION ALL
    SELECT l.run_id, l.week, l.prev_run_id, c.step + 1
    FROM chain AS c
    JOIN lineage_runs AS l ON l.run_id = c.prev_run_id
    WHERE c.step < $depth
)
SELECT run_id, week, step
FROM chain
ORDER BY step;
