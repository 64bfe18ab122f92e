-- ingest/rejects: record the rejected rows of the files with file, row number, reason, the row as JSON (card-like numbers masked) and the file's ingest id.
-- inputs: _ingest_outcomes
-- params: $table, $ingest_ids
-- $ingest_ids[i + 1] is the ingest id of file i (_gl_file).
INSERT INTO rejects
SELECT $table, src_file(_gl_file), src_row(_gl_file, _gl_row), _gl_reason, _gl_detail, _gl_raw,
       ($ingest_ids::BIGINT[])[(_gl_file + 1)::BIGINT]
FROM _ingest_outcomes
WHERE _gl_status = 'reject'
ORDER BY _gl_row;
