-- lineage/lineage_runs: record that the lineage of a run has been computed, and against which run.
-- inputs: none
-- params: $run_id, $week, $prev_run_id, $prev_week, $computed_at
INSERT INTO lineage_runs (run_id, week, prev_run_id, prev_week, computed_at)
VALUES ($run_id, $week, $prev_run_id::BIGINT, $prev_week::VARCHAR, $computed_at);
