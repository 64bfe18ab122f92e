-- ingest/payment_methods: append the rows of _ingest_load (the plain rows of the file, or the loadable rows kept aside) to payment_methods, in the order read.
-- inputs: _ingest_load
-- params: $source_file
INSERT INTO payment_methods
SELECT account_id, payment_fingerprint, method_type, card_bin, billing_country, added_at, extra, $source_file, _gl_row
FROM _ingest_load;
