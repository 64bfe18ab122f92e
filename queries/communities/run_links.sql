-- communities/run_links: record the account <-> account links the run clustered.
-- inputs: graph_links, graph_accounts
-- params: $run_id
-- Stored in no particular order (sorting millions of rows cost more than the
-- writing); readers order what they read.
-- aid follows account_id order, so account_a < account_b.
INSERT INTO run_links
SELECT $run_id, a.account_id, b.account_id, l.weight, l.n_shared, l.n_co_occurring, l.kinds, l.evidence
FROM graph_links AS l
JOIN graph_accounts AS a ON a.aid = l.aid_a
JOIN graph_accounts AS b ON b.aid = l.aid_b;
