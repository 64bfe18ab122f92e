-- detect/run_finish: close a run with its final status and statistics.
-- inputs: runs
-- params: $run_id, $status, $finished_at, $stats
UPDATE runs
SET status = $status, finished_at = $finished_at, stats = $stats::JSON
WHERE run_id = $run_id;
