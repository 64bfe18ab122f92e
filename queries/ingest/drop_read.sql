-- ingest/drop_read: free the rows as read once they are checked (the checked table holds all that is needed).
-- inputs: none
-- params: none
DROP VIEW IF EXISTS _ingest_stage;
DROP VIEW IF EXISTS _ingest_raw;
DROP TABLE IF EXISTS _ingest_read;
DROP TABLE IF EXISTS _ingest_json;
