-- report/activity: requests per hour of the window for each of the given clusters.
-- inputs: run_members, requests
-- params: $run_id, $clusters, $since, $until
SELECT m.cluster_id,
       CAST(date_diff('hour', $since::TIMESTAMP, r.ts) AS INTEGER) AS hour,
       count(*) AS n
FROM run_members AS m
JOIN requests AS r USING (account_id)
WHERE m.run_id = $run_id
  AND list_contains($clusters, m.cluster_id)
  AND r.ts >= $since AND r.ts < $until
GROUP BY ALL
ORDER BY m.cluster_id, hour;
