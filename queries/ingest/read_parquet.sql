-- ingest/read_parquet: _ingest_raw for a Parquet file: a view that reads the file (getvariable('ingest_path')) with its own column types, rows numbered 1.. in file order.
-- inputs: the file at getvariable('ingest_path')
-- params: none
-- A view, not a copy: each pass over the file streams it again, so a file of
-- any size is never held in memory.  Columns keep their Parquet types; the
-- stage view turns them into the contract's.
CREATE OR REPLACE TEMP VIEW _ingest_raw AS
SELECT file_row_number + 1 AS _gl_row,
       NULL::VARCHAR AS _gl_error,
       NULL::VARCHAR AS _gl_text,
       * EXCLUDE (file_row_number)
FROM read_parquet(getvariable('ingest_path'), file_row_number = true);
