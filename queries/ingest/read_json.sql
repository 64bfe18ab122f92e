-- ingest/read_json: one JSON Lines file (plain or .gz) into _ingest_json, one JSON value per record.
-- inputs: the file at $path
-- params: $path, $format
-- A line that is not JSON is kept as NULL (ignore_errors), so it can be
-- rejected with its row number; blank lines are not records.
CREATE OR REPLACE TEMP TABLE _ingest_json AS
SELECT json
FROM read_json_objects($path, format = $format, ignore_errors = true);
