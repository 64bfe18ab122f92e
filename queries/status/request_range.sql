-- status/request_range: first and last request time and distinct accounts seen in requests.
-- inputs: requests
-- params: none
SELECT min(ts) AS first_ts, max(ts) AS last_ts, count(DISTINCT account_id) AS accounts
FROM requests;
