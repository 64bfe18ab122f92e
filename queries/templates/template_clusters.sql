-- templates/template_clusters: for one detection run, the clusters whose members use each template.
-- inputs: request_templates, requests, run_members
-- params: $run_id
-- One row per (template, cluster): how many of the cluster's members used
-- the template and how many requests they sent with it (all time: templates
-- are mined over every request, runs look at a window).
SELECT rt.template_id, m.cluster_id,
       count(DISTINCT r.account_id) AS n_accounts,
       count(*) AS n_requests
FROM request_templates AS rt
JOIN requests AS r ON r.request_id = rt.request_id
JOIN (SELECT DISTINCT cluster_id, account_id FROM run_members WHERE run_id = $run_id) AS m
    ON m.account_id = r.account_id
GROUP BY rt.template_id, m.cluster_id
ORDER BY rt.template_id, n_requests DESC, m.cluster_id;
