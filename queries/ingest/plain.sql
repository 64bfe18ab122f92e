-- ingest/plain: _ingest_plain: the checked rows, each marked plain when it is stored exactly as checked.
-- inputs: _ingest_checked, getvariable('ingest_held')
-- params: none
-- A plain row breaks no rule, had no card-like number masked, and has a key
-- neither repeated in the file nor already stored (ingest/held): nothing about
-- it depends on another row.  Plain rows are loaded in one streaming pass;
-- only the others (usually few) are kept aside for rejects and duplicates.
CREATE OR REPLACE TEMP VIEW _ingest_plain AS
SELECT *,
       coalesce(_gl_reason IS NULL AND NOT _gl_masked
                AND (getvariable('ingest_held') IS NULL
                     OR get_bit(getvariable('ingest_held'), (_gl_row - 1)::INTEGER) = 0), FALSE) AS _gl_plain
FROM _ingest_checked;
