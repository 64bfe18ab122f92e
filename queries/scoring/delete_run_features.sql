-- scoring/delete_run_features: forget the features of a run before it is scored again.
-- inputs: run_features
-- params: $run_id
DELETE FROM run_features WHERE run_id = $run_id
