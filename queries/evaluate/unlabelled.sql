-- evaluate/unlabelled: accounts flagged (by band) that carry no label, and labelled accounts the run’s window does not see.
-- inputs: eval_verdicts, eval_labels, eval_accounts
-- params: none
WITH unlabelled AS (
    SELECT count(*) FILTER (WHERE band = 'high') AS unlabelled_high,
           count(*) FILTER (WHERE band = 'medium') AS unlabelled_medium
    FROM eval_verdicts ANTI JOIN eval_labels USING (account_id)
),
labelled AS (
    SELECT count(*) AS labelled,
           count(*) FILTER (WHERE account_id NOT IN (SELECT account_id FROM eval_accounts)) AS labelled_unseen
    FROM eval_labels
)
SELECT * FROM unlabelled CROSS JOIN labelled
