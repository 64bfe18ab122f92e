-- ingest/load_exceptions: _ingest_load: the rows kept aside that are loaded after all (valid, and the first of their key), for ingest/<table> to append.
-- inputs: _ingest_exceptions, _ingest_fates
-- params: none
CREATE OR REPLACE TEMP VIEW _ingest_load AS
SELECT *
FROM _ingest_exceptions
WHERE _gl_reason IS NULL AND _gl_row NOT IN (SELECT _gl_row FROM _ingest_fates);
