-- graph/graph_stats: per identifier kind: bipartite edges, distinct identifiers, shared (linkable) identifiers, hubs and the account pairs the linkable ones make.
-- inputs: graph_kinds, graph_edges, graph_identifiers
-- params: none
-- Distinct identifiers without a DISTINCT over the edges: an identifier not
-- in graph_identifiers has degree 1, so it is one edge of its own.
WITH e AS (
    SELECT kind, count(*) AS n_edges
    FROM graph_edges
    GROUP BY kind
),
i AS (
    SELECT kind,
           count(*) AS n_multi,
           sum(degree) AS multi_edges,
           count(*) FILTER (WHERE NOT is_hub) AS n_shared,
           count(*) FILTER (WHERE is_hub) AS n_hubs,
           coalesce(sum(degree * (degree - 1) // 2) FILTER (WHERE NOT is_hub), 0) AS n_pairs
    FROM graph_identifiers
    GROUP BY kind
)
SELECT
    k.kind,
    coalesce(e.n_edges, 0) AS n_edges,
    (coalesce(i.n_multi, 0) + coalesce(e.n_edges, 0) - coalesce(i.multi_edges, 0))::BIGINT AS n_identifiers,
    coalesce(i.n_shared, 0) AS n_shared,
    coalesce(i.n_hubs, 0) AS n_hubs,
    coalesce(i.n_pairs, 0)::BIGINT AS n_pairs
FROM graph_kinds AS k
LEFT JOIN e ON e.kind = k.kind
LEFT JOIN i ON i.kind = k.kind
ORDER BY k.kind;
