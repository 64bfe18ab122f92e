-- ingest/payment_methods: append the rows of _ingest_load (the plain rows of the files, or the loadable rows kept aside), each with its file and row number, to payment_methods, in the order read.
-- inputs: _ingest_load
-- params: none
INSERT INTO payment_methods
SELECT account_id, payment_fingerprint, method_type, card_bin, billing_country, added_at, extra, src_file(_gl_file), src_row(_gl_file, _gl_row)
FROM _ingest_load;
