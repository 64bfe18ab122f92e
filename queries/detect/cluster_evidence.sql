-- detect/cluster_evidence: the identifiers binding one cluster, strongest first, hubs last.
-- inputs: run_evidence
-- params: $run_id, $cluster_id
SELECT kind, value, n_accounts, degree, n_requests, first_seen, last_seen, is_hub, weight
FROM run_evidence
WHERE run_id = $run_id AND cluster_id = $cluster_id
ORDER BY is_hub, n_accounts * weight DESC, kind, value;
