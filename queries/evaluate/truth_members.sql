-- evaluate/truth_members: the members of a truth run: every labelled account in a campaign or a benign group, seen in the window.
-- inputs: eval_labels, runs, requests
-- params: $run_id
-- Cluster ids are ’T-’ followed by the campaign or group id.
INSERT INTO run_members (run_id, cluster_id, account_id, n_links, strength)
WITH win AS (
    SELECT since, until FROM runs WHERE run_id = $run_id
),
seen AS (
    SELECT DISTINCT r.account_id
    FROM requests AS r CROSS JOIN win
    WHERE (win.since IS NULL OR r.ts >= win.since) AND (win.until IS NULL OR r.ts < win.until)
)
SELECT $run_id, 'T-' || coalesce(l.campaign_id, l.group_id), l.account_id, 0, 0.0
FROM eval_labels AS l
SEMI JOIN seen USING (account_id)
WHERE coalesce(l.campaign_id, l.group_id) IS NOT NULL
ORDER BY 2, 3
