-- ingest/payment_methods: append the loadable payment_methods rows of the file, in file order.
-- inputs: _ingest_checked, _ingest_fates
-- params: $source_file
INSERT INTO payment_methods
SELECT account_id, payment_fingerprint, method_type, card_bin, billing_country, added_at, extra, $source_file, _gl_row
FROM _ingest_checked
WHERE _gl_reason IS NULL AND _gl_row NOT IN (SELECT _gl_row FROM _ingest_fates)
ORDER BY _gl_row;
