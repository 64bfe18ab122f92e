-- ingest/drop_temp: drop the temp tables, views and variables the ingest of one file leaves behind.
-- inputs: none
-- params: none
DROP VIEW IF EXISTS _ingest_outcomes;
DROP VIEW IF EXISTS _ingest_load;
DROP TABLE IF EXISTS _ingest_fates;
DROP TABLE IF EXISTS _ingest_exceptions;
DROP VIEW IF EXISTS _ingest_plain;
DROP VIEW IF EXISTS _ingest_stored_values;
DROP TABLE IF EXISTS _ingest_stored;
DROP TABLE IF EXISTS _ingest_repeated;
DROP VIEW IF EXISTS _ingest_checked;
DROP VIEW IF EXISTS _ingest_stage;
DROP VIEW IF EXISTS _ingest_raw;
DROP TABLE IF EXISTS _ingest_read;
DROP TABLE IF EXISTS _ingest_json;
DROP TABLE IF EXISTS _ingest_csv_errors;
DROP TABLE IF EXISTS _ingest_csv_scans;
RESET VARIABLE ingest_held;
RESET VARIABLE ingest_files;
