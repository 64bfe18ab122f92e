-- report/clusters: every cluster of a run with its score, change since the previous week and enforcement counts, most urgent first.
-- inputs: run_clusters, run_members, run_scores, run_lineage, run_ban_evasion, accounts
-- params: $run_id, $bands, $actions, $evasion_action
-- recommended_action: $evasion_action when the cluster holds ban-evading
-- accounts, else the action $actions lists for its band at the
-- position in $bands, else "review".
-- Order: clusters in the high band or holding ban-evading accounts first,
-- then by score (highest first, unscored last), requests, cluster id.
WITH banned AS (
    SELECT m.cluster_id, count(*) AS n_banned
    FROM run_members AS m
    JOIN accounts AS a USING (account_id)
    WHERE m.run_id = $run_id AND lower(a.status) = 'banned'
    GROUP BY m.cluster_id
),
evasion AS (
    SELECT cluster_id, count(DISTINCT account_id) AS n_ban_evasion
    FROM run_ban_evasion
    WHERE run_id = $run_id AND cluster_id IS NOT NULL
    GROUP BY cluster_id
)
SELECT c.cluster_id,
       l.lineage_id,
       l.status AS change,
       round(s.score, 1) AS score,
       coalesce(s.band, 'unscored') AS band,
       CASE WHEN coalesce(e.n_ban_evasion, 0) > 0 THEN $evasion_action
            ELSE coalesce($actions[list_position($bands, s.band)], 'review') END AS recommended_action,
       coalesce(s.reasons::VARCHAR, '[]') AS reasons_json,
       c.size,
       l.prev_size,
       c.n_requests,
       c.first_seen,
       c.last_seen,
       coalesce(b.n_banned, 0) AS n_banned,
       coalesce(e.n_ban_evasion, 0) AS n_ban_evasion,
       coalesce(l.prev_cluster_ids, []::VARCHAR[]) AS prev_cluster_ids,
       coalesce(l.prev_lineage_ids, []::VARCHAR[]) AS prev_lineage_ids,
       round(l.member_jaccard, 3) AS member_jaccard,
       round(l.identifier_jaccard, 3) AS identifier_jaccard,
       l.shared_members,
       l.shared_identifiers
FROM run_clusters AS c
LEFT JOIN run_scores AS s ON s.run_id = c.run_id AND s.cluster_id = c.cluster_id
LEFT JOIN run_lineage AS l ON l.run_id = c.run_id AND l.cluster_id = c.cluster_id
LEFT JOIN banned AS b ON b.cluster_id = c.cluster_id
LEFT JOIN evasion AS e ON e.cluster_id = c.cluster_id
WHERE c.run_id = $run_id
ORDER BY CASE WHEN coalesce(e.n_ban_evasion, 0) > 0 OR s.band = 'high' THEN 0 ELSE 1 END,
         s.score DESC NULLS LAST, c.n_requests DESC, c.cluster_id;
