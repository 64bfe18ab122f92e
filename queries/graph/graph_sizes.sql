-- graph/graph_sizes: row counts of the graph tables: vertices for igraph, identifiers, memberships, links.
-- inputs: graph_accounts, graph_identifiers, graph_memberships, graph_links
-- params: none
SELECT
    (SELECT count(*) FROM graph_accounts) AS n_accounts,
    (SELECT count(*) FROM graph_identifiers) AS n_identifiers,
    (SELECT count(*) FROM graph_memberships) AS n_memberships,
    (SELECT count(*) FROM graph_links) AS n_links;
