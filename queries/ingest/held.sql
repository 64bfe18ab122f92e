-- ingest/held: remember, as getvariable('ingest_held'), the rows whose key is repeated in the files read together or already stored: a bitstring over their row numbers 1..$rows (NULL when there are none).
-- inputs: _ingest_checked, _ingest_repeated, _ingest_stored
-- params: $rows
-- A bitstring rather than a table, so the pass that loads the plain rows
-- has no join and streams into the table in file order, in parallel.
SET VARIABLE ingest_held = (
    SELECT bitstring_agg(_gl_row, 1, greatest($rows, 1))
    FROM _ingest_checked
    WHERE _gl_key IN (SELECT _gl_key FROM _ingest_repeated UNION ALL SELECT _gl_key FROM _ingest_stored)
);
