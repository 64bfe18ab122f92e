-- scoring/feat_clock: activity around the clock versus a human day, per member then summed per cluster.
-- inputs: member_requests
-- params: $quiet_hours
-- For each member, the quietest $quiet_hours consecutive hours of the UTC day
-- (wrapping at midnight) are found from its hour-of-day histogram; people
-- sleep, so a person makes almost no requests in them, while a member that
-- runs around the clock makes $quiet_hours / 24 of its requests there.
-- quiet_share = requests in the quiet hours of the members / all requests (time
-- zone free); clock_flatness = quiet_share / ($quiet_hours / 24), in [0, 1].
CREATE OR REPLACE TEMP TABLE feat_clock AS
WITH hist AS (
    SELECT cluster_id, account_id, hour(ts) AS h, count(*) AS n
    FROM member_requests
    GROUP BY cluster_id, account_id, h
),
dense AS (
    -- 48 slots per member (the day twice) so windows can wrap past midnight
    SELECT a.cluster_id, a.account_id, s.slot, coalesce(hist.n, 0) AS n
    FROM (SELECT DISTINCT cluster_id, account_id FROM hist) AS a
    CROSS JOIN range(48) AS s(slot)
    LEFT JOIN hist ON hist.cluster_id = a.cluster_id
                  AND hist.account_id = a.account_id
                  AND hist.h = s.slot % 24
),
windows AS (
    SELECT cluster_id, account_id, slot,
           sum(n) OVER (PARTITION BY cluster_id, account_id ORDER BY slot
                        ROWS BETWEEN CURRENT ROW AND ($quiet_hours - 1) FOLLOWING) AS in_window
    FROM dense
),
per_account AS (
    SELECT w.cluster_id, w.account_id, min(w.in_window) AS quiet
    FROM windows AS w
    WHERE w.slot < 24
    GROUP BY w.cluster_id, w.account_id
),
totals AS (
    SELECT cluster_id, count(*) AS n FROM member_requests GROUP BY cluster_id
)
SELECT
    t.cluster_id,
    sum(p.quiet) / t.n AS quiet_share,
    least(1.0, (sum(p.quiet) / t.n) / ($quiet_hours / 24.0)) AS clock_flatness
FROM per_account AS p
JOIN totals AS t USING (cluster_id)
GROUP BY t.cluster_id, t.n
