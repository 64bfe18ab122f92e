-- ingest/columns_parquet: the columns of a Parquet file, with their types (from its schema; no data is read).
-- inputs: the file at $path
-- params: $path
SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet($path));
