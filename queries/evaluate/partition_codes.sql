-- evaluate/partition_codes: the run’s partition and the true one as integer codes per account, for the adjusted Rand index.
-- inputs: eval_accounts
-- params: none
SELECT
    dense_rank() OVER (ORDER BY pred_class) - 1 AS pred,
    dense_rank() OVER (ORDER BY truth_class) - 1 AS truth
FROM eval_accounts
ORDER BY account_id
