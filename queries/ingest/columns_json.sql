-- ingest/columns_json: the keys of the JSON objects of a JSON Lines file, in order of first appearance.
-- inputs: the file at $path
-- params: $path, $format
SELECT key
FROM (
    SELECT unnest(json_keys(json)) AS key, record
    FROM (
        SELECT json, row_number() OVER () AS record
        FROM read_json_objects($path, format = $format, ignore_errors = true)
    )
    WHERE json_type(json) = 'OBJECT'
)
GROUP BY key
ORDER BY min(record), key;
