-- graph/graph_accounts: the accounts that share at least one identifier, with a dense integer id (the igraph vertex id) and their activity in the window.
-- inputs: graph_edges, graph_identifiers, graph_requests
-- params: none
-- aid is assigned in SQL, ordered by account_id, so the same accounts get the
-- same vertex ids in every run.
CREATE OR REPLACE TEMP TABLE graph_accounts AS
WITH sharing AS (
    SELECT DISTINCT e.account_id
    FROM graph_edges AS e
    SEMI JOIN graph_identifiers AS i ON i.kind = e.kind AND i.value = e.value
),
activity AS (
    SELECT account_id, count(*) AS n_requests, min(ts) AS first_seen, max(ts) AS last_seen
    FROM graph_requests
    GROUP BY account_id
)
SELECT
    (row_number() OVER (ORDER BY s.account_id) - 1)::INTEGER AS aid,
    s.account_id,
    coalesce(a.n_requests, 0) AS n_requests,
    a.first_seen,
    a.last_seen
FROM sharing AS s
LEFT JOIN activity AS a ON a.account_id = s.account_id;
