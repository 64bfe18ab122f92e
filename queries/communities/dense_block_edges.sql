-- communities/dense_block_edges: the account <-> identifier edges handed to the dense-block detector, as integer ids.
-- inputs: graph_memberships, graph_identifiers
-- params: $kinds
-- Only identifiers of the kinds in $kinds (communities.dense_block_kinds)
-- and no hubs: a column of degree d adds d / ln(d + 5) of weight for one
-- node, so hubs and broad kinds (card BINs, /24 prefixes, templates) would
-- make the densest block a loose crowd of unrelated groups.  The detector
-- weighs the remaining edges 1 / ln(degree + 5) itself.  aid is the account
-- id of graph_accounts, col the identifier id of graph_identifiers.
SELECT m.aid, m.iid AS col
FROM graph_memberships AS m
JOIN graph_identifiers AS i ON i.iid = m.iid
WHERE NOT m.is_hub AND list_contains($kinds::VARCHAR[], i.kind)
ORDER BY m.aid, m.iid;
