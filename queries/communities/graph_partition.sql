-- communities/graph_partition: the canonical cluster id and connected component of each graph account.
-- inputs: graph_accounts, partition_input (aid, community, component: registered by graphlink.communities)
-- params: $min_cluster_size
-- Labels from the algorithm are arbitrary; the ids are not: a cluster is
-- 'C-' || its smallest member account_id and a component 'K-' || its
-- smallest account_id, so the same members get the same id in every run.
-- cluster_id is NULL for communities smaller than $min_cluster_size.
CREATE OR REPLACE TEMP TABLE graph_partition AS
WITH p AS (
    SELECT a.aid, a.account_id, i.community, i.component
    FROM graph_accounts AS a
    JOIN partition_input AS i ON i.aid = a.aid
),
communities AS (
    SELECT community, 'C-' || min(account_id) AS cluster_id, count(*) AS size
    FROM p
    GROUP BY community
),
components AS (
    SELECT component, 'K-' || min(account_id) AS component_id, count(*) AS component_size
    FROM p
    GROUP BY component
)
SELECT
    p.aid,
    p.account_id,
    CASE WHEN c.size >= $min_cluster_size THEN c.cluster_id END AS cluster_id,
    k.component_id,
    k.component_size
FROM p
JOIN communities AS c ON c.community = p.community
JOIN components AS k ON k.component = p.component;
