-- detect/latest_run: the newest complete run.
-- inputs: runs
-- params: none
SELECT max(run_id) AS run_id FROM runs WHERE status = 'complete';
