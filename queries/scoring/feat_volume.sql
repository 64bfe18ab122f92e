-- scoring/feat_volume: size, requests, requests per account and how evenly the requests are spread over the members (load balancing).
-- inputs: cluster_members, member_requests
-- params: none
-- request_evenness = 1 - G * n / (n - 1), where G is the Gini coefficient of
-- requests per member (members without requests count as 0): 1 when every
-- member makes the same number of requests, 0 when one member makes them all.
-- requests_per_active_day: requests / (member, UTC day) pairs with a request:
-- how hard an account is used on the days it is used at all.
CREATE OR REPLACE TEMP TABLE feat_volume AS
WITH per_account AS (
    SELECT m.cid, m.mid, count(r.ts) AS n,
           count(DISTINCT CAST(r.ts AS DATE)) AS active_days
    FROM cluster_members AS m
    LEFT JOIN member_requests AS r USING (cid, mid)
    GROUP BY m.cid, m.mid
),
ranked AS (
    SELECT cid, n, active_days,
           row_number() OVER (PARTITION BY cid ORDER BY n, mid) AS i
    FROM per_account
),
agg AS (
    SELECT cid,
           count(*) AS k,
           count(*) FILTER (WHERE n > 0) AS n_active,
           sum(n) AS total,
           sum(i * n) AS weighted,
           max(n) AS top,
           sum(active_days) AS active_days
    FROM ranked
    GROUP BY cid
)
SELECT
    cid,
    k AS n_accounts,
    n_active AS n_active_accounts,
    total AS n_requests,
    total / k AS requests_per_account,
    CASE WHEN active_days > 0 THEN total / active_days END AS requests_per_active_day,
    CASE WHEN k > 1 AND total > 0
         THEN 1 - ((2.0 * weighted) / (k * total) - (k + 1.0) / k) * k / (k - 1.0)
    END AS request_evenness,
    CASE WHEN total > 0 THEN top / total END AS top_account_share
FROM agg
