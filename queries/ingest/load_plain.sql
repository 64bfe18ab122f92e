-- ingest/load_plain: _ingest_load: the plain rows of the files, for ingest/<table> to append.
-- inputs: _ingest_plain
-- params: none
CREATE OR REPLACE TEMP VIEW _ingest_load AS
SELECT * FROM _ingest_plain WHERE _gl_plain;
