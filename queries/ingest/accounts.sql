-- ingest/accounts: append the rows of _ingest_load (the plain rows of the files, or the loadable rows kept aside), each with its file and row number, to accounts, in the order read.
-- inputs: _ingest_load
-- params: none
INSERT INTO accounts
SELECT account_id, created_at, org_id, email_domain, country, tier, status, extra, src_file(_gl_file), src_row(_gl_file, _gl_row)
FROM _ingest_load;
