-- detect/account: one account as the data knows it (accounts seen only in requests or payments included).
-- inputs: account_universe
-- params: $account_id
SELECT account_id, created_at, org_id, email_domain, country, tier, status, known
FROM account_universe
WHERE account_id = $account_id;
