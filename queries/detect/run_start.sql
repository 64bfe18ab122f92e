-- detect/run_start: open a run: its manifest row with status 'running' and the next run id.
-- inputs: runs
-- params: $started_at, $since, $until, $week, $config, $input_hashes, $versions
INSERT INTO runs (run_id, started_at, status, since, until, week, config, input_hashes, versions)
SELECT coalesce(max(run_id), 0) + 1, $started_at, 'running', $since, $until, $week,
       $config::JSON, $input_hashes::JSON, $versions::JSON
FROM runs
RETURNING run_id;
