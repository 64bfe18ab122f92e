-- templates/tpl_group_rows: requests, accounts and mean variable-part size of every group of merged signatures.
-- inputs: tpl_groups
-- params: none
SELECT grp, n_requests, n_accounts, slot_chars
FROM tpl_groups
ORDER BY grp;
