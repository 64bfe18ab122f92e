-- ingest/rejects: record the rejected rows of the file with row number, reason and the row as JSON (card-like numbers masked).
-- inputs: _ingest_outcomes
-- params: $table, $source_file, $ingest_id
INSERT INTO rejects
SELECT $table, $source_file, _gl_row, _gl_reason, _gl_detail, _gl_raw, $ingest_id
FROM _ingest_outcomes
WHERE _gl_status = 'reject'
ORDER BY _gl_row;
