-- ingest/accounts: append the rows of _ingest_load (the plain rows of the file, or the loadable rows kept aside) to accounts, in the order read.
-- inputs: _ingest_load
-- params: $source_file
INSERT INTO accounts
SELECT account_id, created_at, org_id, email_domain, country, tier, status, extra, $source_file, _gl_row
FROM _ingest_load;
