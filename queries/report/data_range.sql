-- report/data_range: first and last request time (NULLs when there are no requests).
-- inputs: requests
-- params: none
-- Only the time column is read (status/request_range also counts distinct
-- accounts, which costs a pass over the account ids).
SELECT min(ts) AS first_ts, max(ts) AS last_ts
FROM requests;
