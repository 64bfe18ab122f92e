-- ingest/ingest_log: record one ingested file: its content hash (so the same file is skipped next time) and its counts.
-- inputs: none
-- params: $ingest_id, $table, $source_file, $file_hash, $file_bytes, $rows_read, $rows_loaded, $rows_rejected, $rows_duplicate
INSERT INTO ingest_log
VALUES ($ingest_id, $table, $source_file, $file_hash, $file_bytes,
        $rows_read, $rows_loaded, $rows_rejected, $rows_duplicate,
        timezone('UTC', now()));
