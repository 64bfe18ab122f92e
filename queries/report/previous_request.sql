-- report/previous_request: the time of the last request before a moment (to find the previous week with data).
-- inputs: requests
-- params: $before, $after
SELECT max(ts) AS last_ts
FROM requests
WHERE ts < $before AND ts >= $after;
