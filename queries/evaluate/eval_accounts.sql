-- evaluate/eval_accounts: every labelled account the run could see (a request in its window, a cluster member, or a verdict), with its truth and its verdict.
-- inputs: eval_labels, eval_verdicts, runs, requests, run_members
-- params: $run_id
-- eval_verdicts holds one verdict per account (account_id, cluster_id,
-- score, band): the run’s own (scoring/account_verdicts) or another
-- detector’s, registered under that name.  band NULL: in no scored cluster.
-- pred_class, the detector’s partition: the cluster, else the account alone.
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
    UNION
    SELECT account_id FROM eval_verdicts
)
SELECT l.*, v.cluster_id, v.score, v.band,
       coalesce('cluster:' || v.cluster_id, 'account:' || l.account_id) AS pred_class
FROM eval_labels AS l
JOIN seen USING (account_id)
LEFT JOIN eval_verdicts AS v USING (account_id)
ORDER BY l.account_id
