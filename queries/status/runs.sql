-- status/runs: the most recent runs with their window and status.
-- inputs: runs
-- params: $limit
SELECT run_id, status, started_at, finished_at, since, until, week
FROM runs
ORDER BY run_id DESC
LIMIT $limit;
