-- ingest/raw_columns: the columns of the file as read, with their types.
-- inputs: _ingest_raw
-- params: none
SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM _ingest_raw);
