-- report/accounts_csv: write accounts.csv, every clustered or ban-evading account of a run with the action recommended for it.
-- inputs: run_members, run_clusters, run_scores, run_lineage, run_ban_evasion, accounts
-- params: $run_id, $path, $bands, $actions, $evasion_action
-- recommended_action: "none" for an account already banned; $evasion_action
-- for a ban-evading account; else the action of the band of its cluster (see
-- report/clusters).  Rows follow the cluster order of report/clusters, then
-- account id.  Columns are documented in docs/report-schema.md.
COPY (
    WITH evasion AS (
        SELECT DISTINCT account_id, cluster_id FROM run_ban_evasion WHERE run_id = $run_id
    ),
    cluster_evasion AS (
        SELECT cluster_id, count(*) AS n FROM evasion WHERE cluster_id IS NOT NULL GROUP BY cluster_id
    ),
    listed AS (
        SELECT cluster_id, account_id FROM run_members WHERE run_id = $run_id
        UNION
        SELECT cluster_id, account_id FROM evasion WHERE cluster_id IS NULL
    )
    SELECT x.account_id,
           x.cluster_id,
           l.lineage_id,
           round(s.score, 1) AS score,
           CASE WHEN x.cluster_id IS NOT NULL THEN coalesce(s.band, 'unscored') END AS band,
           CASE WHEN lower(a.status) = 'banned' THEN 'none'
                WHEN e.account_id IS NOT NULL THEN $evasion_action
                ELSE coalesce($actions[list_position($bands, s.band)], 'review') END AS recommended_action,
           a.status AS account_status,
           strftime(a.created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at,
           e.account_id IS NOT NULL AS ban_evasion
    FROM listed AS x
    LEFT JOIN run_scores AS s ON s.run_id = $run_id AND s.cluster_id = x.cluster_id
    LEFT JOIN run_lineage AS l ON l.run_id = $run_id AND l.cluster_id = x.cluster_id
    LEFT JOIN accounts AS a ON a.account_id = x.account_id
    LEFT JOIN (SELECT DISTINCT account_id FROM evasion) AS e ON e.account_id = x.account_id
    LEFT JOIN cluster_evasion AS ce ON ce.cluster_id = x.cluster_id
    LEFT JOIN run_clusters AS c ON c.run_id = $run_id AND c.cluster_id = x.cluster_id
    ORDER BY CASE WHEN coalesce(ce.n, 0) > 0 OR s.band = 'high' OR x.cluster_id IS NULL THEN 0 ELSE 1 END,
             s.score DESC NULLS LAST, c.n_requests DESC NULLS LAST, x.cluster_id NULLS LAST, x.account_id
) TO $path (HEADER, DELIMITER ',');
