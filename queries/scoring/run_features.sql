-- scoring/run_features: store one row of features per cluster of the run, joined from the feature tables.
-- inputs: run_clusters, feat_volume, feat_prompts, feat_clock, feat_lockstep, feat_signup, feat_payment, feat_network, feat_links
-- params: $run_id
-- Clusters without requests in the window keep NULL request features.
INSERT INTO run_features
SELECT
    $run_id AS run_id,
    c.cluster_id,
    coalesce(v.n_accounts, 0),
    coalesce(v.n_active_accounts, 0),
    coalesce(v.n_requests, 0),
    v.requests_per_account,
    v.request_evenness,
    v.top_account_share,
    p.templated_share,
    coalesce(p.n_templates, 0),
    coalesce(p.n_top_templates, 0),
    p.top_template_share,
    p.reasoning_share,
    p.grading_share,
    p.token_ratio,
    p.top_model,
    p.top_model_share,
    k.quiet_share,
    k.clock_flatness,
    l.lockstep_observed,
    l.lockstep_expected,
    l.lockstep_lift,
    s.n_known_accounts,
    s.burst_accounts,
    s.burst_share,
    s.median_age_days,
    pay.n_paying_accounts,
    pay.n_instruments,
    pay.shared_payment_accounts,
    pay.shared_payment_share,
    pay.prepaid_accounts,
    pay.prepaid_share,
    pay.n_carded_accounts,
    pay.n_card_bins,
    pay.n_top_bins,
    pay.top_bin_accounts,
    pay.top_bin_share,
    pay.mismatch_accounts,
    pay.country_mismatch_share,
    n.n_ips,
    n.n_prefixes,
    n.datacenter_share,
    n.proxy_share,
    n.vpn_share,
    n.anonymised_share,
    x.top_org,
    x.org_accounts,
    x.org_share,
    x.banned_accounts,
    x.evasion_accounts,
    x.ban_link_share
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
