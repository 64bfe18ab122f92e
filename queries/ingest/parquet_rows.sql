-- ingest/parquet_rows: the rows of each Parquet file, from its metadata (no data is read).
-- inputs: the files at $paths
-- params: $paths
SELECT file_name, sum(num_rows)::BIGINT AS n_rows
FROM parquet_file_metadata($paths::VARCHAR[])
GROUP BY file_name;
