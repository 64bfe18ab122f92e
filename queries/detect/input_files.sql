-- detect/input_files: the ingested files behind the tables of the database, for the manifest of a run.
-- inputs: ingest_log
-- params: none
SELECT table_name, source_file, file_hash, rows_loaded
FROM ingest_log
ORDER BY table_name, source_file, file_hash;
