-- exports/export_accounts_cluster: the accounts an export of one cluster shows: its members.
-- inputs: run_members
-- params: $run_id, $cluster_id
-- Writes the temp table export_accounts(account_id, hop, seed) that
-- exports/export_edges and exports/account_nodes read; hop is 0 and seed
-- FALSE for every member.
CREATE OR REPLACE TEMP TABLE export_accounts AS
SELECT DISTINCT account_id, 0 AS hop, FALSE AS seed
FROM run_members
WHERE run_id = $run_id
  AND cluster_id = $cluster_id;
