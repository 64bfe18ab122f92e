-- ingest/repeated: _ingest_repeated: the keys the files read together hold more than once, the only ones that can have duplicates among them.
-- inputs: _ingest_checked
-- params: none
-- Reads the key columns alone; a file of unique keys leaves an empty table.
CREATE OR REPLACE TEMP TABLE _ingest_repeated AS
SELECT _gl_key
FROM _ingest_checked
GROUP BY _gl_key
HAVING count(*) > 1;
