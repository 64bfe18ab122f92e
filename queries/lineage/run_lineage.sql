-- lineage/run_lineage: classify every cluster of a run against the run of the previous week and give it a lineage id.
-- inputs: run_members, lineage_links, run_lineage
-- params: $run_id, $week, $week_tag, $prev_run_id, $prev_week, $size_change, $size_change_min
-- A cluster linked to no earlier cluster is "new"; linked to several it is
-- "merged"; linked to one that is linked to several of this run it is
-- "split"; linked to one with no member in common it is "replaced" (same
-- identifiers, all accounts new); otherwise "grown" or "shrunk" when its size
-- changed by at least $size_change (a fraction) and $size_change_min
-- accounts, else "persisting".  Earlier clusters with no successor are "gone".
-- A cluster inherits the lineage id of its strongest predecessor when it is
-- also the strongest successor of that predecessor; otherwise it starts a lineage
-- "L-" || $week_tag || "-" || cluster_id.
INSERT INTO run_lineage
WITH cur AS (
    SELECT cluster_id, count(*) AS size
    FROM run_members WHERE run_id = $run_id
    GROUP BY cluster_id
),
prev AS (
    SELECT m.cluster_id, count(*) AS size, any_value(l.lineage_id) AS lineage_id
    FROM run_members AS m
    LEFT JOIN run_lineage AS l ON l.run_id = m.run_id AND l.cluster_id = m.cluster_id
    WHERE m.run_id = $prev_run_id
    GROUP BY m.cluster_id
),
links AS (
    SELECT l.*,
           row_number() OVER (PARTITION BY l.cluster_id
               ORDER BY l.strength DESC, l.shared_members DESC, l.shared_identifiers DESC, l.prev_cluster_id) AS rank_in_cur,
           row_number() OVER (PARTITION BY l.prev_cluster_id
               ORDER BY l.strength DESC, l.shared_members DESC, l.shared_identifiers DESC, l.cluster_id) AS rank_in_prev,
           count(*) OVER (PARTITION BY l.prev_cluster_id) AS n_successors
    FROM lineage_links AS l
    WHERE l.run_id = $run_id AND l.prev_run_id = $prev_run_id
),
per_cur AS (
    SELECT l.cluster_id,
           count(*) AS n_predecessors,
           list(l.prev_cluster_id ORDER BY l.rank_in_cur) AS prev_cluster_ids,
           list(p.lineage_id ORDER BY l.rank_in_cur) AS prev_lineage_ids,
           sum(p.size) AS prev_size,
           sum(l.shared_members) AS shared_members,
           sum(l.shared_identifiers) AS shared_identifiers,
           max(l.member_jaccard) FILTER (WHERE l.rank_in_cur = 1) AS member_jaccard,
           max(l.identifier_jaccard) FILTER (WHERE l.rank_in_cur = 1) AS identifier_jaccard,
           max(l.n_successors) FILTER (WHERE l.rank_in_cur = 1) AS best_n_successors,
           max(p.lineage_id) FILTER (WHERE l.rank_in_cur = 1 AND l.rank_in_prev = 1) AS inherited_lineage_id
    FROM links AS l
    JOIN prev AS p ON p.cluster_id = l.prev_cluster_id
    GROUP BY l.cluster_id
),
current_rows AS (
    SELECT c.cluster_id,
           coalesce(pc.inherited_lineage_id, 'L-' || $week_tag || '-' || c.cluster_id) AS lineage_id,
           CASE
               WHEN pc.cluster_id IS NULL THEN 'new'
               WHEN pc.n_predecessors > 1 THEN 'merged'
               WHEN pc.best_n_successors > 1 THEN 'split'
               WHEN pc.shared_members = 0 THEN 'replaced'
               WHEN c.size >= pc.prev_size * (1 + $size_change)
                    AND c.size - pc.prev_size >= $size_change_min THEN 'grown'
               WHEN c.size <= pc.prev_size * (1 - $size_change)
                    AND pc.prev_size - c.size >= $size_change_min THEN 'shrunk'
               ELSE 'persisting'
           END AS status,
           coalesce(pc.prev_cluster_ids, []::VARCHAR[]) AS prev_cluster_ids,
           coalesce(pc.prev_lineage_ids, []::VARCHAR[]) AS prev_lineage_ids,
           c.size,
           pc.prev_size,
           coalesce(pc.shared_members, 0) AS shared_members,
           coalesce(pc.shared_identifiers, 0) AS shared_identifiers,
           pc.member_jaccard,
           pc.identifier_jaccard
    FROM cur AS c
    LEFT JOIN per_cur AS pc USING (cluster_id)
),
gone_rows AS (
    SELECT NULL::VARCHAR AS cluster_id, p.lineage_id, 'gone' AS status,
           [p.cluster_id] AS prev_cluster_ids, [p.lineage_id] AS prev_lineage_ids,
           0 AS size, p.size AS prev_size, 0 AS shared_members, 0 AS shared_identifiers,
           NULL::DOUBLE AS member_jaccard, NULL::DOUBLE AS identifier_jaccard
    FROM prev AS p
    WHERE p.cluster_id NOT IN (SELECT prev_cluster_id FROM links)
)
SELECT $run_id AS run_id, $week AS week, r.cluster_id, r.lineage_id, r.status,
       $prev_run_id::BIGINT AS prev_run_id, $prev_week::VARCHAR AS prev_week,
       r.prev_cluster_ids, r.prev_lineage_ids, r.size, r.prev_size,
       r.shared_members, r.shared_identifiers, r.member_jaccard, r.identifier_jaccard
FROM (SELECT * FROM current_rows UNION ALL SELECT * FROM gone_rows) AS r
ORDER BY r.cluster_id NULLS LAST, r.lineage_id;
