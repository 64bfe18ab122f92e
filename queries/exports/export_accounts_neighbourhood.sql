-- exports/export_accounts_neighbourhood: the accounts within $hops hops of one account.
-- inputs: run_edges
-- params: $run_id, $account_id, $hops
-- One hop is account -> identifier -> account over the bipartite
-- edges.  Hub identifiers are never crossed (a hub shared by thousands of
-- strangers is not a neighbourhood), the same rule detection uses for links.
-- Writes the temp table export_accounts(account_id, hop, seed): hop is the
-- fewest hops from the account, seed is TRUE for the account itself.
CREATE OR REPLACE TEMP TABLE export_accounts AS
WITH RECURSIVE
usable AS (
    SELECT account_id, kind, value
    FROM run_edges
    WHERE run_id = $run_id
      AND NOT is_hub
),
reach(account_id, hop) AS (
    SELECT $account_id::VARCHAR, 0
    UNION
    SELECT b.account_id, r.hop + 1
    FROM reach AS r
    JOIN usable AS a ON a.account_id = r.account_id
    JOIN usable AS b ON b.kind = a.kind AND b.value = a.value
    WHERE r.hop < $hops
)
SELECT account_id, min(hop) AS hop, account_id = $account_id AS seed
FROM reach
GROUP BY account_id;
