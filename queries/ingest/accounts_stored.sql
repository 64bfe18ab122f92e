-- ingest/accounts_stored: _ingest_stored: the stored accounts rows whose account_id the file holds too (key and rowid); _ingest_stored_values: their values' hash and origin.
-- inputs: accounts, _ingest_checked
-- params: none
-- The lookup reads the key columns alone, with the file's keys as the build
-- side of the join; the stored values are read only for the rows it finds,
-- and only when a row kept aside asks for them (ingest/dedupe).
CREATE OR REPLACE TEMP TABLE _ingest_stored AS
SELECT {'account_id': s.account_id} AS _gl_key, s.rowid AS _gl_stored_rowid
FROM accounts AS s
WHERE s.account_id IN (SELECT _gl_key.account_id FROM _ingest_checked);

CREATE OR REPLACE TEMP VIEW _ingest_stored_values AS
SELECT k._gl_key,
       hash({'created_at': s.created_at, 'org_id': s.org_id, 'email_domain': s.email_domain,
        'country': s.country, 'tier': s.tier, 'status': s.status}) AS _gl_stored_hash,
       s.source_file AS _gl_stored_file,
       s.source_row AS _gl_stored_row
FROM accounts AS s
JOIN _ingest_stored AS k ON s.rowid = k._gl_stored_rowid;
