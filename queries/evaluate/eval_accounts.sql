-- evaluate/eval_accounts: every labelled account the run could see (a request in its window, or a cluster member), with its truth and its verdict.
-- inputs: eval_labels, runs, requests, run_members, run_scores
-- params: $run_id
-- The verdict is the account’s highest-scoring cluster (band NULL: in no
-- scored cluster).  pred_class, the run’s partition: that cluster, else the
-- account alone.
CREATE OR REPLACE TEMP TABLE eval_accounts AS
WITH win AS (
    SELECT since, until FROM runs WHERE run_id = $run_id
),
seen AS (
    SELECT DISTINCT r.account_id
    FROM requests AS r CROSS JOIN win
    WHERE (win.since IS NULL OR r.ts >= win.since) AND (win.until IS NULL OR r.ts < win.until)
    UNION
    SELECT account_id FROM run_members WHERE run_id = $run_id
),
verdict AS (
    SELECT m.account_id,
           arg_max(m.cluster_id, s.score) AS cluster_id,
           max(s.score) AS score,
           arg_max(s.band, s.score) AS band
    FROM run_members AS m
    JOIN run_scores AS s ON s.run_id = m.run_id AND s.cluster_id = m.cluster_id
    WHERE m.run_id = $run_id
    GROUP BY m.account_id
)
SELECT l.*, v.cluster_id, v.score, v.band,
       coalesce('cluster:' || v.cluster_id, 'account:' || l.account_id) AS pred_class
FROM eval_labels AS l
JOIN seen USING (account_id)
LEFT JOIN verdict AS v USING (account_id)
ORDER BY l.account_id
