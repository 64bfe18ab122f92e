-- lineage/evasion_count: distinct accounts of a run flagged for ban evasion.
-- inputs: run_ban_evasion
-- params: $run_id
SELECT count(DISTINCT account_id) AS n
FROM run_ban_evasion
WHERE run_id = $run_id;
