-- evaluate/cluster_purity: how pure the run’s clusters are, over their labelled members.
-- inputs: eval_accounts
-- params: none
-- purity: sum over clusters of the largest truth class in it / labelled
-- members of clusters; label_purity: the same with the two labels
-- (positive or not) as classes; both also over high clusters only.
WITH per_class AS (
    SELECT cluster_id, band, truth_class, count(*) AS n
    FROM eval_accounts
    WHERE cluster_id IS NOT NULL
    GROUP BY cluster_id, band, truth_class
),
per_label AS (
    SELECT cluster_id, band, positive, count(*) AS n
    FROM eval_accounts
    WHERE cluster_id IS NOT NULL
    GROUP BY cluster_id, band, positive
),
by_class AS (
    SELECT cluster_id, any_value(band) AS band, max(n) AS top, sum(n) AS n FROM per_class GROUP BY cluster_id
),
by_label AS (
    SELECT cluster_id, any_value(band) AS band, max(n) AS top, sum(n) AS n FROM per_label GROUP BY cluster_id
)
SELECT
    (SELECT count(*) FROM by_class) AS clusters,
    (SELECT sum(top) / sum(n) FROM by_class) AS purity,
    (SELECT sum(top) / sum(n) FROM by_class WHERE band = 'high') AS purity_high,
    (SELECT sum(top) / sum(n) FROM by_label) AS label_purity,
    (SELECT sum(top) / sum(n) FROM by_label WHERE band = 'high') AS label_purity_high
