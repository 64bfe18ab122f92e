-- evaluate/unlabelled: accounts the run flagged (by band) that carry no label, and labelled accounts the run’s window does not see.
-- inputs: run_members, run_scores, eval_labels, eval_accounts
-- params: $run_id
WITH flagged AS (
    SELECT m.account_id, arg_max(s.band, s.score) AS band
    FROM run_members AS m
    JOIN run_scores AS s ON s.run_id = m.run_id AND s.cluster_id = m.cluster_id
    WHERE m.run_id = $run_id
    GROUP BY m.account_id
),
unlabelled AS (
    SELECT count(*) FILTER (WHERE band = 'high') AS unlabelled_high,
           count(*) FILTER (WHERE band = 'medium') AS unlabelled_medium
    FROM flagged ANTI JOIN eval_labels USING (account_id)
),
labelled AS (
    SELECT count(*) AS labelled,
           count(*) FILTER (WHERE account_id NOT IN (SELECT account_id FROM eval_accounts)) AS labelled_unseen
    FROM eval_labels
)
SELECT * FROM unlabelled CROSS JOIN labelled
