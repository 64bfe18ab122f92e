-- ingest/read_parquet: one Parquet file into _ingest_read: every column as text, rows numbered 1.. in file order.
-- inputs: the file at $path
-- params: $path
CREATE OR REPLACE TEMP TABLE _ingest_read AS
SELECT file_row_number + 1 AS _gl_row,
       NULL::VARCHAR AS _gl_error,
       NULL::VARCHAR AS _gl_text,
       COLUMNS(* EXCLUDE (file_row_number))::VARCHAR
FROM read_parquet($path, file_row_number = true);
