-- communities/run_edges: record the account <-> identifier edges of the run to shared identifiers.
-- inputs: graph_memberships, graph_accounts, graph_identifiers
-- params: $run_id
-- Stored in no particular order (sorting millions of rows cost more than the
-- writing); readers order what they read.
INSERT INTO run_edges
SELECT $run_id, a.account_id, i.kind, i.value, m.n_requests, m.first_seen, m.last_seen,
       i.weight, i.degree, i.is_hub
FROM graph_memberships AS m
JOIN graph_accounts AS a ON a.aid = m.aid
JOIN graph_identifiers AS i ON i.iid = m.iid;
