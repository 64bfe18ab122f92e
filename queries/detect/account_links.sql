-- detect/account_links: the strongest links of an account in a run, with the other side and its cluster.
-- inputs: run_links, run_members
-- params: $run_id, $account_id, $limit
WITH mine AS (
    SELECT CASE WHEN account_a = $account_id THEN account_b ELSE account_a END AS other,
           weight, n_shared, n_co_occurring, kinds, evidence
    FROM run_links
    WHERE run_id = $run_id AND (account_a = $account_id OR account_b = $account_id)
)
SELECT l.other AS account_id, m.cluster_id, l.weight, l.n_shared, l.n_co_occurring, l.kinds, l.evidence
FROM mine AS l
LEFT JOIN run_members AS m ON m.run_id = $run_id AND m.account_id = l.other
ORDER BY l.weight DESC, l.other
LIMIT $limit;
