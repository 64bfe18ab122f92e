-- scoring/run_features: store one row of features per cluster of the run, joined from the feature tables.
-- inputs: run_clusters, cluster_members, feat_volume, feat_prompts, feat_clock, feat_lockstep, feat_signup, feat_payment, feat_network, feat_links
-- params: $run_id
-- Columns are matched by name; the feature tables are keyed by the
-- cluster's number (cid, scoring/cluster_members).  Clusters without
-- requests in the window keep NULL request features.
INSERT INTO run_features BY NAME
SELECT
    $run_id AS run_id,
    c.cluster_id,
    v.* EXCLUDE (cid),
    p.* EXCLUDE (cid),
    k.* EXCLUDE (cid),
    l.* EXCLUDE (cid),
    s.* EXCLUDE (cid),
    pay.* EXCLUDE (cid),
    n.* EXCLUDE (cid),
    x.* EXCLUDE (cid)
FROM (SELECT DISTINCT cluster_id FROM run_clusters WHERE run_id = $run_id) AS c
LEFT JOIN (SELECT DISTINCT cid, cluster_id FROM cluster_members) AS ids USING (cluster_id)
LEFT JOIN feat_volume AS v ON v.cid = ids.cid
LEFT JOIN feat_prompts AS p ON p.cid = ids.cid
LEFT JOIN feat_clock AS k ON k.cid = ids.cid
LEFT JOIN feat_lockstep AS l ON l.cid = ids.cid
LEFT JOIN feat_signup AS s ON s.cid = ids.cid
LEFT JOIN feat_payment AS pay ON pay.cid = ids.cid
LEFT JOIN feat_network AS n ON n.cid = ids.cid
LEFT JOIN feat_links AS x ON x.cid = ids.cid
ORDER BY c.cluster_id
