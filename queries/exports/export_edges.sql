-- exports/export_edges: the account <-> identifier edges an export shows.
-- inputs: export_accounts, run_edges
-- params: $run_id, $min_shared
-- Every run edge of a selected account whose identifier at least $min_shared
-- selected accounts use, or that the seed account uses (so a neighbourhood
-- shows every identifier of its account, hubs included).  n_selected counts
-- the selected accounts using the identifier; degree counts all accounts of
-- window of the run.  Writes the temp table export_edges.
CREATE OR REPLACE TEMP TABLE export_edges AS
WITH chosen AS (
    SELECT e.account_id, e.kind, e.value, e.n_requests, e.first_seen, e.last_seen,
           e.weight, e.degree, e.is_hub, a.seed
    FROM run_edges AS e
    JOIN export_accounts AS a USING (account_id)
    WHERE e.run_id = $run_id
),
identifiers AS (
    SELECT kind, value, count(*) AS n_selected, bool_or(seed) AS seed_uses
    FROM chosen
    GROUP BY kind, value
)
SELECT c.account_id, c.kind, c.value, c.n_requests, c.first_seen, c.last_seen,
       c.weight, c.degree, c.is_hub, i.n_selected
FROM chosen AS c
JOIN identifiers AS i USING (kind, value)
WHERE i.n_selected >= $min_shared
   OR i.seed_uses;
