-- communities/run_members: record the members of each cluster with their links inside the cluster and their activity.
-- inputs: graph_partition, graph_accounts, graph_links
-- params: $run_id
-- strength sums integer micro-weights, so it does not depend on summation order.
WITH clustered AS (
    SELECT p.aid, p.account_id, p.cluster_id, a.n_requests, a.first_seen, a.last_seen
    FROM graph_partition AS p
    JOIN graph_accounts AS a ON a.aid = p.aid
    WHERE p.cluster_id IS NOT NULL
),
internal AS (
    SELECT l.aid_a, l.aid_b, l.micro_weight
    FROM graph_links AS l
    JOIN clustered AS x ON x.aid = l.aid_a
    JOIN clustered AS y ON y.aid = l.aid_b
    WHERE x.cluster_id = y.cluster_id
),
ends AS (
    SELECT aid_a AS aid, micro_weight FROM internal
    UNION ALL
    SELECT aid_b, micro_weight FROM internal
)
INSERT INTO run_members
SELECT $run_id, c.cluster_id, c.account_id, count(e.aid), coalesce(sum(e.micro_weight), 0) / 1000000.0,
       any_value(c.n_requests), any_value(c.first_seen), any_value(c.last_seen)
FROM clustered AS c
LEFT JOIN ends AS e ON e.aid = c.aid
GROUP BY c.cluster_id, c.account_id
ORDER BY c.cluster_id, c.account_id;
