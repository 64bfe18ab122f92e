-- detect/input_fingerprints: row count and an order-independent content hash of each table a run reads, requests aside.
-- inputs: accounts, payment_methods, request_templates
-- params: none
-- The hash is the XOR of the row hashes: equal tables give equal values
-- whatever order their rows were loaded in.  Requests come from
-- templates/requests_fingerprint, which the run reads once for the
-- templates' staleness check and this manifest: sums of hashes of id,
-- account, time and upstream template, not the prompt text (ingest never
-- changes a stored request: a second row with the same id and other content
-- is rejected; hashing every prompt's text cost more than building the graph).
SELECT 'accounts' AS table_name, count(*) AS n_rows, bit_xor(hash(t))::VARCHAR AS content_hash FROM accounts AS t
UNION ALL
SELECT 'payment_methods', count(*), bit_xor(hash(t))::VARCHAR FROM payment_methods AS t
UNION ALL
SELECT 'request_templates', count(*), bit_xor(hash(t))::VARCHAR FROM request_templates AS t
ORDER BY table_name;
