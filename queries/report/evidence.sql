-- report/evidence: the strongest binding identifiers of each cluster (non-hub, most members first).
-- inputs: run_evidence
-- params: $run_id, $per_cluster
SELECT cluster_id, kind, value, n_accounts, n_requests
FROM run_evidence
WHERE run_id = $run_id AND NOT is_hub
QUALIFY row_number() OVER (
    PARTITION BY cluster_id ORDER BY n_accounts DESC, weight DESC, kind, value
) <= $per_cluster
ORDER BY cluster_id, n_accounts DESC, weight DESC, kind, value;
