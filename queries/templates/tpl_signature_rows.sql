-- templates/tpl_signature_rows: the distinct scaffold signatures handed to the near-duplicate merge.
-- inputs: tpl_signatures
-- params: none
SELECT sig, segs, n_requests, n_accounts, example_rid
FROM tpl_signatures
ORDER BY sig;
