-- evaluate/band_metrics: account precision and recall when the accounts of high clusters, or of high and medium clusters, are flagged.
-- inputs: eval_accounts
-- params: none
WITH thresholds(band, bands, ord) AS (
    VALUES ('high', ['high'], 1), ('medium', ['high', 'medium'], 2)
)
SELECT
    t.band,
    count(*) FILTER (WHERE list_contains(t.bands, a.band)) AS flagged,
    count(*) FILTER (WHERE list_contains(t.bands, a.band) AND a.positive) AS tp,
    count(*) FILTER (WHERE list_contains(t.bands, a.band) AND NOT a.positive) AS fp,
    count(*) FILTER (WHERE coalesce(NOT list_contains(t.bands, a.band), TRUE) AND a.positive) AS fn,
    count(*) FILTER (WHERE a.positive) AS positives,
    count(*) FILTER (WHERE NOT a.positive) AS negatives
FROM thresholds AS t
CROSS JOIN eval_accounts AS a
GROUP BY t.band, t.ord
ORDER BY t.ord
