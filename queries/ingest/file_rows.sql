-- ingest/file_rows: how many rows the file has (Parquet: from its metadata).
-- inputs: _ingest_raw
-- params: none
SELECT count(*) AS rows_read FROM _ingest_raw;
