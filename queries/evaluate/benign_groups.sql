-- evaluate/benign_groups: per kind of benign group, the accounts flagged high and medium-or-high (false positives).
-- inputs: eval_accounts
-- params: none
-- groups_flagged: groups with at least one account flagged high.
SELECT
    group_kind,
    count(DISTINCT group_id) AS groups,
    count(*) AS accounts,
    count(*) FILTER (WHERE band = 'high') AS high,
    count(*) FILTER (WHERE band IN ('high', 'medium')) AS medium_or_high,
    count(DISTINCT group_id) FILTER (WHERE band = 'high') AS groups_flagged
FROM eval_accounts
WHERE NOT positive
GROUP BY group_kind
ORDER BY group_kind
