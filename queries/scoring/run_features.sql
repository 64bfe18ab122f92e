-- scoring/run_features: store one row of features per cluster of the run, joined from the feature tables.
-- inputs: run_clusters, feat_volume, feat_prompts, feat_clock, feat_lockstep, feat_signup, feat_payment, feat_network, feat_links
-- params: $run_id
-- Columns are matched by name.  Clusters without requests in the window keep
-- NULL request features.
INSERT INTO run_features BY NAME
SELECT
    $run_id AS run_id,
    c.cluster_id,
    v.* EXCLUDE (cluster_id),
    p.* EXCLUDE (cluster_id),
    k.* EXCLUDE (cluster_id),
    l.* EXCLUDE (cluster_id),
    s.* EXCLUDE (cluster_id),
    pay.* EXCLUDE (cluster_id),
    n.* EXCLUDE (cluster_id),
    x.* EXCLUDE (cluster_id)
FROM (SELECT DISTINCT cluster_id FROM run_clusters WHERE run_id = $run_id) AS c
LEFT JOIN feat_volume AS v USING (cluster_id)
LEFT JOIN feat_prompts AS p USING (cluster_id)
LEFT JOIN feat_clock AS k USING (cluster_id)
LEFT JOIN feat_lockstep AS l USING (cluster_id)
LEFT JOIN feat_signup AS s USING (cluster_id)
LEFT JOIN feat_payment AS pay USING (cluster_id)
LEFT JOIN feat_network AS n USING (cluster_id)
LEFT JOIN feat_links AS x USING (cluster_id)
ORDER BY c.cluster_id
