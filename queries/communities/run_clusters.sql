-- communities/run_clusters: record one row per cluster: size, activity, internal links, binding identifiers, component.
-- inputs: graph_partition, graph_accounts, graph_links, graph_dense_blocks, run_evidence
-- params: $run_id, $method
-- Reads the run_evidence rows of this run, written just before in the same
-- transaction.  density = internal link weight / possible pairs.
WITH clustered AS (
    SELECT p.aid, p.cluster_id, p.component_id, p.component_size, a.n_requests, a.first_seen, a.last_seen
    FROM graph_partition AS p
    JOIN graph_accounts AS a ON a.aid = p.aid
    WHERE p.cluster_id IS NOT NULL
),
members AS (
    SELECT cluster_id, count(*) AS size, sum(n_requests) AS n_requests,
           min(first_seen) AS first_seen, max(last_seen) AS last_seen,
           min(component_id) AS component_id, min(component_size) AS component_size
    FROM clustered
    GROUP BY cluster_id
),
internal AS (
    SELECT x.cluster_id, count(*) AS n_links, sum(l.micro_weight) / 1000000.0 AS weight
    FROM graph_links AS l
    JOIN clustered AS x ON x.aid = l.aid_a
    JOIN clustered AS y ON y.aid = l.aid_b
    WHERE x.cluster_id = y.cluster_id
    GROUP BY x.cluster_id
),
blocks AS (   -- the dense block holding most members (ties: the denser block)
    SELECT c.cluster_id, b.block_id, count(*) AS k
    FROM clustered AS c
    JOIN graph_dense_blocks AS b ON b.aid = c.aid
    GROUP BY c.cluster_id, b.block_id, b.rank
    QUALIFY row_number() OVER (PARTITION BY c.cluster_id ORDER BY count(*) DESC, b.rank) = 1
),
evidence AS (
    SELECT cluster_id, count(*) AS n_identifiers, list(DISTINCT kind ORDER BY kind) AS kinds
    FROM run_evidence
    WHERE run_id = $run_id AND NOT is_hub
    GROUP BY cluster_id
)
INSERT INTO run_clusters
SELECT $run_id, m.cluster_id, m.size, m.n_requests, m.first_seen, m.last_seen, $method,
       coalesce(i.n_links, 0), coalesce(i.weight, 0.0),
       coalesce(i.weight, 0.0) / (m.size * (m.size - 1) / 2),
       coalesce(e.n_identifiers, 0), coalesce(e.kinds, []::VARCHAR[]),
       m.component_id, m.component_size, b.block_id, b.k / m.size
FROM members AS m
LEFT JOIN internal AS i ON i.cluster_id = m.cluster_id
LEFT JOIN evidence AS e ON e.cluster_id = m.cluster_id
LEFT JOIN blocks AS b ON b.cluster_id = m.cluster_id
ORDER BY m.cluster_id;
