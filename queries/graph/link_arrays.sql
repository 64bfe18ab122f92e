-- graph/link_arrays: the links handed to igraph in bulk: integer endpoints and weights, in a fixed order.
-- inputs: graph_links
-- params: none
SELECT aid_a, aid_b, weight
FROM graph_links
ORDER BY aid_a, aid_b;
