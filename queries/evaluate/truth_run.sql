-- evaluate/truth_run: open a run over the same window as run $like_run whose clusters will be the true groups of a labels file.
-- inputs: runs
-- params: $like_run, $started_at, $config
-- Its method is recorded as truth in the stats; it is not a detection run,
-- status complete so that it can be scored and evaluated like one.
INSERT INTO runs (run_id, started_at, finished_at, status, since, until, week, config, input_hashes, versions, stats)
SELECT (SELECT coalesce(max(run_id), 0) + 1 FROM runs), $started_at, $started_at, 'complete',
       since, until, week, $config::JSON, '{}'::JSON, '{}'::JSON, '{"method": "truth"}'::JSON
FROM runs
WHERE run_id = $like_run
RETURNING run_id
