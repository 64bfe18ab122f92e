-- communities/run_hubs: record the identifiers the run treated as hubs.
-- inputs: graph_identifiers
-- params: $run_id
INSERT INTO run_hubs
SELECT $run_id, kind, value, degree, hub_cap, n_requests, first_seen, last_seen
FROM graph_identifiers
WHERE is_hub
ORDER BY kind, value;
