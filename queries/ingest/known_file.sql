-- ingest/known_file: an earlier ingest of a file with the same content into the same table, if any.
-- inputs: ingest_log
-- params: $file_hash, $table
SELECT source_file, ingested_at
FROM ingest_log
WHERE file_hash = $file_hash AND table_name = $table
ORDER BY ingest_id
LIMIT 1;
