-- ingest/file_rows: how many rows each of the files read together has (by _gl_file, in order).
-- inputs: _ingest_raw
-- params: none
SELECT _gl_file AS file, count(*) AS rows_read
FROM _ingest_raw
GROUP BY _gl_file
ORDER BY _gl_file;
