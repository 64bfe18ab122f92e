-- detect/account_identifiers: the shared identifiers an account used in a run, rarest first, hubs last.
-- inputs: run_edges
-- params: $run_id, $account_id
SELECT kind, value, degree, is_hub, weight, n_requests, first_seen, last_seen
FROM run_edges
WHERE run_id = $run_id AND account_id = $account_id
ORDER BY is_hub, weight DESC, kind, value;
