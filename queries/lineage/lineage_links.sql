-- lineage/lineage_links: link each cluster of a run to the clusters of the run of the previous week it overlaps.
-- inputs: run_members, run_evidence
-- params: $run_id, $prev_run_id, $kinds, $ownership, $link_jaccard, $link_containment, $link_min_shared
-- Two clusters are linked when their members, or their own identifiers
-- (run_evidence rows of the kinds in $kinds, not hubs, and used mostly by
-- the members: at least $ownership of the accounts using the identifier in
-- the window are members, so a popular client build shared by many clusters
-- does not tie them together), overlap with
-- a Jaccard index of at least $link_jaccard, or when at least
-- $link_min_shared of them are shared and they make up at least
-- $link_containment of the smaller side (this catches merges and splits,
-- whose Jaccard index is small by construction).
INSERT INTO lineage_links
WITH cur_members AS (
    SELECT cluster_id, account_id FROM run_members WHERE run_id = $run_id
),
prev_members AS (
    SELECT cluster_id, account_id FROM run_members WHERE run_id = $prev_run_id
),
cur_ids AS (
    SELECT DISTINCT cluster_id, kind, value
    FROM run_evidence
    WHERE run_id = $run_id AND NOT coalesce(is_hub, FALSE) AND list_contains($kinds, kind)
      AND n_accounts >= $ownership * degree
),
prev_ids AS (
    SELECT DISTINCT cluster_id, kind, value
    FROM run_evidence
    WHERE run_id = $prev_run_id AND NOT coalesce(is_hub, FALSE) AND list_contains($kinds, kind)
      AND n_accounts >= $ownership * degree
),
cur_n AS (
    SELECT m.cluster_id, m.n_members, coalesce(i.n_ids, 0) AS n_ids
    FROM (SELECT cluster_id, count(*) AS n_members FROM cur_members GROUP BY cluster_id) AS m
    LEFT JOIN (SELECT cluster_id, count(*) AS n_ids FROM cur_ids GROUP BY cluster_id) AS i USING (cluster_id)
),
prev_n AS (
    SELECT m.cluster_id, m.n_members, coalesce(i.n_ids, 0) AS n_ids
    FROM (SELECT cluster_id, count(*) AS n_members FROM prev_members GROUP BY cluster_id) AS m
    LEFT JOIN (SELECT cluster_id, count(*) AS n_ids FROM prev_ids GROUP BY cluster_id) AS i USING (cluster_id)
),
shared_m AS (
    SELECT c.cluster_id, p.cluster_id AS prev_cluster_id, count(*) AS shared
    FROM cur_members AS c JOIN prev_members AS p USING (account_id)
    GROUP BY c.cluster_id, p.cluster_id
),
shared_i AS (
    SELECT c.cluster_id, p.cluster_id AS prev_cluster_id, count(*) AS shared
    FROM cur_ids AS c JOIN prev_ids AS p USING (kind, value)
    GROUP BY c.cluster_id, p.cluster_id
),
pairs AS (
    SELECT coalesce(m.cluster_id, i.cluster_id) AS cluster_id,
           coalesce(m.prev_cluster_id, i.prev_cluster_id) AS prev_cluster_id,
           coalesce(m.shared, 0) AS shared_members,
           coalesce(i.shared, 0) AS shared_identifiers
    FROM shared_m AS m
    FULL JOIN shared_i AS i
      ON m.cluster_id = i.cluster_id AND m.prev_cluster_id = i.prev_cluster_id
),
measured AS (
    SELECT p.cluster_id, p.prev_cluster_id, p.shared_members, p.shared_identifiers,
           p.shared_members / (c.n_members + q.n_members - p.shared_members) AS member_jaccard,
           p.shared_members / least(c.n_members, q.n_members) AS member_containment,
           CASE WHEN p.shared_identifiers = 0 THEN 0.0
                ELSE p.shared_identifiers / (c.n_ids + q.n_ids - p.shared_identifiers) END AS identifier_jaccard,
           CASE WHEN p.shared_identifiers = 0 THEN 0.0
                ELSE p.shared_identifiers / least(c.n_ids, q.n_ids) END AS identifier_containment
    FROM pairs AS p
    JOIN cur_n AS c ON c.cluster_id = p.cluster_id
    JOIN prev_n AS q ON q.cluster_id = p.prev_cluster_id
)
SELECT $run_id AS run_id, $prev_run_id AS prev_run_id, cluster_id, prev_cluster_id,
       shared_members, member_jaccard, shared_identifiers, identifier_jaccard,
       greatest(member_jaccard, identifier_jaccard) AS strength
FROM measured
WHERE member_jaccard >= $link_jaccard
   OR identifier_jaccard >= $link_jaccard
   OR (shared_members >= $link_min_shared AND member_containment >= $link_containment)
   OR (shared_identifiers >= $link_min_shared AND identifier_containment >= $link_containment)
ORDER BY cluster_id, prev_cluster_id;
