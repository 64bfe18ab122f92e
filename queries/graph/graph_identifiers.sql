-- graph/graph_identifiers: every identifier shared by two or more accounts, with an integer id, its degree, hub flag and rarity weight.
-- inputs: graph_edges, graph_kinds
-- params: none
-- degree = accounts that used it in the window.  An identifier whose degree
-- exceeds the hub_cap of its kind is a hub: recorded, weight 0, never linked.
-- Otherwise weight = kind weight / ln(degree) (Adamic-Adar): an identifier
-- shared by 3 accounts says far more than one shared by 3000.
-- Identifiers of degree 1 link nothing and are left out.
CREATE OR REPLACE TEMP TABLE graph_identifiers AS
WITH shared AS (
    SELECT kind, value, count(*) AS degree, sum(n_requests) AS n_requests,
           min(first_seen) AS first_seen, max(last_seen) AS last_seen
    FROM graph_edges
    GROUP BY kind, value
    HAVING count(*) >= 2
)
SELECT
    (row_number() OVER (ORDER BY s.kind, s.value) - 1)::INTEGER AS iid,
    s.kind, s.value, s.degree, s.n_requests, s.first_seen, s.last_seen,
    k.hub_cap,
    k.apart,
    s.degree > k.hub_cap AS is_hub,
    CASE WHEN s.degree > k.hub_cap THEN 0.0 ELSE k.weight / ln(s.degree) END AS weight
FROM shared AS s
JOIN graph_kinds AS k ON k.kind = s.kind;
