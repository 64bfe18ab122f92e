-- evaluate/style_recall: per campaign style, the accounts in high clusters and in high or medium clusters.
-- inputs: eval_accounts
-- params: none
SELECT
    style,
    count(DISTINCT campaign_id) AS campaigns,
    count(*) AS accounts,
    count(*) FILTER (WHERE band = 'high') AS high,
    count(*) FILTER (WHERE band IN ('high', 'medium')) AS medium_or_high
FROM eval_accounts
WHERE positive
GROUP BY style
ORDER BY style
