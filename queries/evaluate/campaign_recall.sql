-- evaluate/campaign_recall: per campaign, how many of its accounts are in high clusters and in high or medium clusters.
-- inputs: eval_accounts
-- params: none
-- Positive accounts without a campaign id form the campaign “(none)”.
SELECT
    coalesce(campaign_id, '(none)') AS campaign_id,
    any_value(style) AS style,
    count(*) AS accounts,
    count(*) FILTER (WHERE band = 'high') AS high,
    count(*) FILTER (WHERE band IN ('high', 'medium')) AS medium_or_high,
    count(DISTINCT cluster_id) AS clusters
FROM eval_accounts
WHERE positive
GROUP BY 1
ORDER BY 1
