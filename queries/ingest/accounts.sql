-- ingest/accounts: append the loadable accounts rows of the file, in file order.
-- inputs: _ingest_checked, _ingest_fates
-- params: $source_file
INSERT INTO accounts
SELECT account_id, created_at, org_id, email_domain, country, tier, status, extra, $source_file, _gl_row
FROM _ingest_checked
WHERE _gl_reason IS NULL AND _gl_row NOT IN (SELECT _gl_row FROM _ingest_fates)
ORDER BY _gl_row;
