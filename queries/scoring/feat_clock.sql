-- scoring/feat_clock: activity around the clock versus a human day, per member then summed per cluster.
-- inputs: member_requests
-- params: $quiet_hours
-- For each member, the quietest $quiet_hours consecutive hours of the UTC day
-- (wrapping at midnight) are found from its hour-of-day histogram; people
-- sleep, so a person makes almost no requests in them, while a member that
-- runs around the clock makes $quiet_hours / 24 of its requests there.
-- quiet_share = requests in the quiet hours of the members / all requests (time
-- zone free); clock_flatness = quiet_share / ($quiet_hours / 24), in [0, 1].
-- The histogram is a 24-slot list per member, doubled so a window can wrap
-- past midnight; the quiet hours are the smallest sum over the 24 windows.
CREATE OR REPLACE TEMP TABLE feat_clock AS
WITH per_account AS (
    SELECT cid, mid,
           list_transform(range(24), lambda s: coalesce(m[s], 0)) AS day
    FROM (SELECT cid, mid, histogram(hour(ts)) AS m
          FROM member_requests GROUP BY cid, mid)
),
quiet AS (
    SELECT cid,
           list_min(list_transform(range(24),
                    lambda s: list_sum(list_slice(list_concat(day, day), s + 1, s + $quiet_hours)))) AS quiet
    FROM per_account
),
totals AS (
    SELECT cid, count(*) AS n FROM member_requests GROUP BY cid
)
SELECT
    t.cid,
    sum(q.quiet) / t.n AS quiet_share,
    least(1.0, (sum(q.quiet) / t.n) / ($quiet_hours / 24.0)) AS clock_flatness
FROM quiet AS q
JOIN totals AS t USING (cid)
GROUP BY t.cid, t.n;
