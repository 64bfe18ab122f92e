-- graph/link_arrays: the links handed to igraph in bulk: integer endpoints and weights, in a fixed order.
-- inputs: graph_links
-- params: $min_link_weight
SELECT aid_a, aid_b, weight
FROM graph_links
WHERE weight >= $min_link_weight
ORDER BY aid_a, aid_b;
