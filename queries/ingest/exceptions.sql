-- ingest/exceptions: _ingest_exceptions: the rows of the files that are not plain, with every checked value.
-- inputs: _ingest_plain
-- params: none
-- Run only when the plain rows are not all of the file.
CREATE OR REPLACE TEMP TABLE _ingest_exceptions AS
SELECT * EXCLUDE (_gl_plain)
FROM _ingest_plain
WHERE NOT _gl_plain;
