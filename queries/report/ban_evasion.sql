-- report/ban_evasion: accounts flagged for ban evasion in a run, one row per (account, known cluster).
-- inputs: run_ban_evasion
-- params: $run_id
SELECT account_id, cluster_id, created_at, known_week, known_cluster_id, known_lineage_id,
       n_banned, first_ban_at, shared_identifiers
FROM run_ban_evasion
WHERE run_id = $run_id
ORDER BY cluster_id NULLS LAST, account_id, known_run_id, known_cluster_id;
