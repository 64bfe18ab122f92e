-- detect/run_info: one run of the manifest.
-- inputs: runs
-- params: $run_id
SELECT run_id, status, started_at, finished_at, since, until, week
FROM runs
WHERE run_id = $run_id;
