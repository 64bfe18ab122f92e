-- report/week_volume: requests and active accounts in a time window.
-- inputs: requests
-- params: $since, $until
SELECT count(*) AS n_requests, count(DISTINCT account_id) AS n_accounts
FROM requests
WHERE ts >= $since AND ts < $until;
