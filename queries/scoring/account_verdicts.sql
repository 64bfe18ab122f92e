-- scoring/account_verdicts: one verdict per account of a scored cluster of the run (its highest-scoring cluster when it is in several).
-- inputs: run_members, run_scores
-- params: $run_id
SELECT account_id, cluster_id, score, band
FROM (
    SELECT m.account_id, m.cluster_id, s.score, s.band,
           row_number() OVER (PARTITION BY m.account_id ORDER BY s.score DESC, m.cluster_id) AS rk
    FROM run_members AS m
    JOIN run_scores AS s ON s.run_id = m.run_id AND s.cluster_id = m.cluster_id
    WHERE m.run_id = $run_id
)
WHERE rk = 1
ORDER BY score DESC, account_id
