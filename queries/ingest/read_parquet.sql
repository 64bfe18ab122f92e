-- ingest/read_parquet: _ingest_raw for Parquet files of one table with the same columns: a view that reads them (getvariable('ingest_files')) with their own column types, rows numbered 1.. across the files in order.
-- inputs: the files at getvariable('ingest_files').paths
-- params: none
-- A view, not a copy: each pass over the files streams them again, so files
-- of any size are never held in memory.  Columns keep their Parquet types;
-- the stage view turns them into the contract's.  _gl_file is the file's
-- place in the list; its rows follow the rows of the files before it.
CREATE OR REPLACE TEMP VIEW _ingest_raw AS
SELECT file_row_number + 1 + getvariable('ingest_files').offsets[(file_index + 1)::BIGINT] AS _gl_row,
       file_index::INTEGER AS _gl_file,
       NULL::VARCHAR AS _gl_error,
       NULL::VARCHAR AS _gl_text,
       * EXCLUDE (file_row_number)
FROM read_parquet(getvariable('ingest_files').paths, file_row_number = true);
