-- ingest/file_rows: how many rows each file read together has (_gl_file; Parquet: from its metadata).
-- inputs: _ingest_raw
-- params: none
SELECT _gl_file AS file, count(*) AS rows_read
FROM _ingest_raw
GROUP BY _gl_file
ORDER BY _gl_file;
