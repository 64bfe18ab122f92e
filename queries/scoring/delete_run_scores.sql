-- scoring/delete_run_scores: forget the scores of a run before it is scored again.
-- inputs: run_scores
-- params: $run_id
DELETE FROM run_scores WHERE run_id = $run_id
