-- report/week_runs: complete detection runs of one ISO week, newest first, with their config.
-- inputs: runs
-- params: $week
SELECT run_id, started_at, since, until, config
FROM runs
WHERE week = $week AND status = 'complete'
ORDER BY run_id DESC;
