-- exports/account_known: whether an account appears in the data at all (1) or not (0).
-- inputs: account_universe
-- params: $account_id
SELECT count(*) > 0 AS known
FROM account_universe
WHERE account_id = $account_id;
