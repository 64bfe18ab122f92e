-- detect/cluster_members: the members of one cluster with their sign-up facts and links inside the cluster.
-- inputs: run_members, account_universe
-- params: $run_id, $cluster_id
SELECT m.account_id, a.created_at, a.email_domain, a.country, a.tier, a.status,
       m.n_requests, m.first_seen, m.last_seen, m.n_links, m.strength
FROM run_members AS m
LEFT JOIN account_universe AS a ON a.account_id = m.account_id
WHERE m.run_id = $run_id AND m.cluster_id = $cluster_id
ORDER BY m.strength DESC, m.account_id;
