-- ingest/outcomes: every row of the files that is not loaded, with its status (reject or duplicate), reason, detail and raw JSON.
-- inputs: _ingest_exceptions, _ingest_fates
-- params: none
CREATE OR REPLACE TEMP VIEW _ingest_outcomes AS
SELECT _gl_row, _gl_file, 'reject' AS _gl_status, _gl_reason, _gl_detail, _gl_raw::JSON AS _gl_raw
FROM _ingest_exceptions
WHERE _gl_reason IS NOT NULL
UNION ALL
SELECT _gl_row, _gl_file, _gl_status, _gl_reason, _gl_detail, _gl_raw::JSON
FROM _ingest_fates;
