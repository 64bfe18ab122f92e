-- communities/run_evidence: record the identifiers that bind each cluster: every identifier two or more members used.
-- inputs: graph_partition, graph_memberships, graph_identifiers
-- params: $run_id
-- Hubs are included (is_hub) so an investigator sees them, but they never
-- linked anyone.
INSERT INTO run_evidence
SELECT $run_id, p.cluster_id, i.kind, i.value,
       count(*) AS n_accounts, any_value(i.degree), sum(m.n_requests), min(m.first_seen), max(m.last_seen),
       any_value(i.is_hub), any_value(i.weight)
FROM graph_partition AS p
JOIN graph_memberships AS m ON m.aid = p.aid
JOIN graph_identifiers AS i ON i.iid = m.iid
WHERE p.cluster_id IS NOT NULL
GROUP BY p.cluster_id, i.kind, i.value
HAVING count(*) >= 2
ORDER BY p.cluster_id, i.kind, i.value;
