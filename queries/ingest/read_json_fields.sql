-- ingest/read_json_fields: _ingest_read for a JSON Lines file: one text column per key; a record that is not an object is malformed.
-- inputs: _ingest_json
-- params: $structure
-- $structure is a json_transform structure naming every key with type VARCHAR,
-- so nested values arrive as their JSON text.
CREATE OR REPLACE TEMP TABLE _ingest_read AS
SELECT rowid + 1 AS _gl_row,
       0 AS _gl_file,   -- a JSON Lines file is read alone
       CASE WHEN json IS NULL THEN 'not valid JSON'
            WHEN json_type(json) <> 'OBJECT' THEN 'not a JSON object' END AS _gl_error,
       CASE WHEN json_type(json) <> 'OBJECT' THEN json::VARCHAR END AS _gl_text,
       unnest(json_transform(CASE WHEN json_type(json) = 'OBJECT' THEN json END, $structure))
FROM _ingest_json;
