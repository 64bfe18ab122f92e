-- lineage/lineage_state: whether the lineage of a run is stored, and the run it was compared with.
-- inputs: lineage_runs
-- params: $run_id
SELECT run_id, week, prev_run_id, prev_week
FROM lineage_runs
WHERE run_id = $run_id;
