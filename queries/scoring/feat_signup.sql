-- scoring/feat_signup: sign-up bursts and account age.
-- inputs: cluster_members, accounts, member_requests
-- params: $burst_hours
-- burst_accounts: the most members whose sign-up times fall within one
-- span of $burst_hours (from some member’s sign-up, inclusive).
-- median_age_days: median over members of (first request in the window -
-- sign-up), in days.
CREATE OR REPLACE TEMP TABLE feat_signup AS
WITH members AS (
    SELECT m.cid, m.mid, m.cluster_size, a.created_at
    FROM cluster_members AS m
    LEFT JOIN accounts AS a USING (account_id)
),
burst AS (
    SELECT cid,
           count(*) OVER (PARTITION BY cid ORDER BY created_at
                          RANGE BETWEEN CURRENT ROW AND to_hours(CAST($burst_hours AS BIGINT)) FOLLOWING) AS k
    FROM members
    WHERE created_at IS NOT NULL
),
first_request AS (
    SELECT cid, mid, min(ts) AS first_ts
    FROM member_requests
    GROUP BY cid, mid
),
ages AS (
    SELECT m.cid,
           median(epoch(f.first_ts - m.created_at) / 86400.0) AS median_age_days
    FROM members AS m
    JOIN first_request AS f USING (cid, mid)
    WHERE m.created_at IS NOT NULL
    GROUP BY m.cid
),
sizes AS (
    SELECT cid, count(*) AS n, count(created_at) AS n_known
    FROM members
    GROUP BY cid
)
SELECT
    s.cid,
    s.n_known AS n_known_accounts,
    coalesce(b.burst_accounts, 0) AS burst_accounts,
    coalesce(b.burst_accounts, 0) / s.n AS burst_share,
    a.median_age_days
FROM sizes AS s
LEFT JOIN (SELECT cid, max(k) AS burst_accounts FROM burst GROUP BY cid) AS b USING (cid)
LEFT JOIN ages AS a USING (cid)
