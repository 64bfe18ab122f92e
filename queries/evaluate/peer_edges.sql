-- evaluate/peer_edges: the run’s account–identifier edges of identifiers shared by at most $max_degree accounts, as integer ids, for the peer detectors.
-- inputs: run_edges
-- params: $run_id, $max_degree
-- acc / ident are dense ranks (0-based) of account_id and (kind, value).
WITH e AS (
    SELECT DISTINCT account_id, kind, value
    FROM run_edges
    WHERE run_id = $run_id AND degree <= $max_degree
)
SELECT
    account_id,
    dense_rank() OVER (ORDER BY account_id) - 1 AS acc,
    dense_rank() OVER (ORDER BY kind, value) - 1 AS ident
FROM e
ORDER BY acc, ident
