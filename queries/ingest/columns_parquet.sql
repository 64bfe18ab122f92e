-- ingest/columns_parquet: no rows; the cursor description names the columns of a Parquet file.
-- inputs: the file at $path
-- params: $path
SELECT * FROM read_parquet($path) LIMIT 0;
