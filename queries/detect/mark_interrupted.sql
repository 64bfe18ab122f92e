-- detect/mark_interrupted: mark runs left 'running' by a process that died as 'failed'.
-- inputs: runs
-- params: $now
-- Only one process can hold the database for writing, so a 'running' row
-- seen by a new run belongs to a run that was killed; its results were
-- never committed.
UPDATE runs
SET status = 'failed',
    finished_at = $now,
    stats = json_object('error', 'interrupted before it finished')
WHERE status = 'running';
