-- scoring/feat_signup: sign-up bursts and account age.
-- inputs: cluster_members, accounts, member_requests
-- params: $burst_hours
-- burst_accounts: the most members whose sign-up times fall within one
-- span of $burst_hours (from some member’s sign-up, inclusive).
-- median_age_days: median over members of (first request in the window -
-- sign-up), in days.
CREATE OR REPLACE TEMP TABLE feat_signup AS
WITH members AS (
    SELECT m.cluster_id, m.account_id, m.cluster_size, a.created_at
    FROM cluster_members AS m
    LEFT JOIN accounts AS a USING (account_id)
),
burst AS (
    SELECT cluster_id,
           count(*) OVER (PARTITION BY cluster_id ORDER BY created_at
                          RANGE BETWEEN CURRENT ROW AND to_hours(CAST($burst_hours AS BIGINT)) FOLLOWING) AS k
    FROM members
    WHERE created_at IS NOT NULL
),
first_request AS (
    SELECT cluster_id, account_id, min(ts) AS first_ts
    FROM member_requests
    GROUP BY cluster_id, account_id
),
ages AS (
    SELECT m.cluster_id,
           median(epoch(f.first_ts - m.created_at) / 86400.0) AS median_age_days
    FROM members AS m
    JOIN first_request AS f USING (cluster_id, account_id)
    WHERE m.created_at IS NOT NULL
    GROUP BY m.cluster_id
),
sizes AS (
    SELECT cluster_id, count(*) AS n, count(created_at) AS n_known
    FROM members
    GROUP BY cluster_id
)
SELECT
    s.cluster_id,
    s.n_known AS n_known_accounts,
    coalesce(b.burst_accounts, 0) AS burst_accounts,
    coalesce(b.burst_accounts, 0) / s.n AS burst_share,
    a.median_age_days
FROM sizes AS s
LEFT JOIN (SELECT cluster_id, max(k) AS burst_accounts FROM burst GROUP BY cluster_id) AS b USING (cluster_id)
LEFT JOIN ages AS a USING (cluster_id)
