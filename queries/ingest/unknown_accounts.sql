-- ingest/unknown_accounts: accounts that requests or payment_methods mention but accounts does not hold.
-- inputs: account_universe
-- params: none
SELECT count(*) AS accounts FROM account_universe WHERE NOT known;
