-- ingest/labels_stored: _ingest_stored: the stored labels rows whose (account_id, source) the file holds too (key and rowid); _ingest_stored_values: their values' hash and origin.
-- inputs: labels, _ingest_checked
-- params: none
-- The lookup reads the key columns alone, with the file's keys as the build
-- side of the join; the stored values are read only for the rows it finds,
-- and only when a row kept aside asks for them (ingest/dedupe).
CREATE OR REPLACE TEMP TABLE _ingest_stored AS
SELECT {'account_id': s.account_id, 'source': s.source} AS _gl_key, s.rowid AS _gl_stored_rowid
FROM labels AS s
SEMI JOIN _ingest_checked AS f
    ON s.account_id = f._gl_key.account_id AND s.source IS NOT DISTINCT FROM f._gl_key.source;

CREATE OR REPLACE TEMP VIEW _ingest_stored_values AS
SELECT k._gl_key,
       hash({'label': s.label, 'campaign_id': s.campaign_id, 'labeled_at': s.labeled_at}) AS _gl_stored_hash,
       s.source_file AS _gl_stored_file,
       s.source_row AS _gl_stored_row
FROM labels AS s
JOIN _ingest_stored AS k ON s.rowid = k._gl_stored_rowid;
