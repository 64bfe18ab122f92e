-- exports/edges: the account <-> identifier edges of the current export, in a stable order.
-- inputs: export_edges
-- params: none
SELECT account_id, kind, value, weight, n_requests, first_seen, last_seen
FROM export_edges
ORDER BY account_id, kind, value;
