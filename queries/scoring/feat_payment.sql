-- scoring/feat_payment: shared and virtual / prepaid payment instruments, card BIN concentration, billing versus sign-up country.
-- inputs: cluster_members, payment_methods, accounts
-- params: $prepaid_types, $top_bins
-- Every share is over all members of the cluster, so members without a
-- payment method count as no evidence.  top_bin_accounts: members with a card
-- from one of the cluster’s $top_bins most common BINs (ranked by members).
CREATE OR REPLACE TEMP TABLE feat_payment AS
WITH sizes AS (
    SELECT DISTINCT cid, cluster_size AS n FROM cluster_members
),
pm AS (
    SELECT m.cid, m.account_id, p.payment_fingerprint,
           lower(p.method_type) AS method_type, p.card_bin, upper(p.billing_country) AS billing_country
    FROM cluster_members AS m
    JOIN payment_methods AS p USING (account_id)
),
instrument AS (
    SELECT cid, payment_fingerprint, count(DISTINCT account_id) AS k
    FROM pm
    GROUP BY cid, payment_fingerprint
),
shared AS (
    SELECT pm.cid, count(DISTINCT pm.account_id) AS k
    FROM pm
    JOIN instrument AS i USING (cid, payment_fingerprint)
    WHERE i.k >= 2
    GROUP BY pm.cid
),
bins AS (
    SELECT cid, card_bin,
           row_number() OVER (PARTITION BY cid ORDER BY count(DISTINCT account_id) DESC, card_bin) AS rk
    FROM pm
    WHERE card_bin IS NOT NULL
    GROUP BY cid, card_bin
),
top_bins AS (
    SELECT pm.cid, count(DISTINCT pm.account_id) AS k
    FROM pm
    JOIN bins AS b USING (cid, card_bin)
    WHERE b.rk <= $top_bins
    GROUP BY pm.cid
),
mismatch AS (
    SELECT pm.cid, count(DISTINCT pm.account_id) AS k
    FROM pm
    JOIN accounts AS a USING (account_id)
    WHERE a.country IS NOT NULL AND pm.billing_country IS NOT NULL
      AND upper(a.country) <> pm.billing_country
    GROUP BY pm.cid
),
per_cluster AS (
    SELECT cid,
           count(DISTINCT account_id) AS n_paying,
           count(DISTINCT payment_fingerprint) AS n_instruments,
           count(DISTINCT account_id) FILTER (WHERE list_contains($prepaid_types, method_type)) AS n_prepaid,
           count(DISTINCT account_id) FILTER (WHERE card_bin IS NOT NULL) AS n_carded,
           count(DISTINCT card_bin) AS n_bins
    FROM pm
    GROUP BY cid
)
SELECT
    s.cid,
    coalesce(p.n_paying, 0) AS n_paying_accounts,
    coalesce(p.n_instruments, 0) AS n_instruments,
    coalesce(sh.k, 0) AS shared_payment_accounts,
    coalesce(sh.k, 0) / s.n AS shared_payment_share,
    coalesce(p.n_prepaid, 0) AS prepaid_accounts,
    coalesce(p.n_prepaid, 0) / s.n AS prepaid_share,
    coalesce(p.n_carded, 0) AS n_carded_accounts,
    coalesce(p.n_bins, 0) AS n_card_bins,
    least(coalesce(p.n_bins, 0), $top_bins) AS n_top_bins,
    coalesce(tb.k, 0) AS top_bin_accounts,
    coalesce(tb.k, 0) / s.n AS top_bin_share,
    coalesce(mm.k, 0) AS mismatch_accounts,
    coalesce(mm.k, 0) / s.n AS country_mismatch_share
FROM sizes AS s
LEFT JOIN per_cluster AS p USING (cid)
LEFT JOIN shared AS sh USING (cid)
LEFT JOIN top_bins AS tb USING (cid)
LEFT JOIN mismatch AS mm USING (cid)
