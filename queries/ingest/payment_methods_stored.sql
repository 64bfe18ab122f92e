-- ingest/payment_methods_stored: _ingest_stored: the stored payment_methods rows whose (account_id, payment_fingerprint) the file holds too (key and rowid); _ingest_stored_values: their values' hash and origin.
-- inputs: payment_methods, _ingest_checked
-- params: none
-- The lookup reads the key columns alone, with the file's keys as the build
-- side of the join; the stored values are read only for the rows it finds,
-- and only when a row kept aside asks for them (ingest/dedupe).
CREATE OR REPLACE TEMP TABLE _ingest_stored AS
SELECT {'account_id': s.account_id, 'payment_fingerprint': s.payment_fingerprint} AS _gl_key, s.rowid AS _gl_stored_rowid
FROM payment_methods AS s
SEMI JOIN _ingest_checked AS f
    ON s.account_id = f._gl_key.account_id AND s.payment_fingerprint = f._gl_key.payment_fingerprint;

CREATE OR REPLACE TEMP VIEW _ingest_stored_values AS
SELECT k._gl_key,
       hash({'method_type': s.method_type, 'card_bin': s.card_bin, 'billing_country': s.billing_country,
        'added_at': s.added_at}) AS _gl_stored_hash,
       s.source_file AS _gl_stored_file,
       s.source_row AS _gl_stored_row
FROM payment_methods AS s
JOIN _ingest_stored AS k ON s.rowid = k._gl_stored_rowid;
