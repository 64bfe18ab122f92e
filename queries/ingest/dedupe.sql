-- ingest/dedupe: _ingest_fates: the rows kept aside that break no rule but are not loaded: duplicates and conflicting duplicates.
-- inputs: _ingest_exceptions, _ingest_stored_values
-- params: none
-- A row whose key is already stored is a duplicate when its values equal the
-- stored ones, else a conflicting_duplicate.  A key seen twice in the file
-- keeps its first row; later rows are duplicates (same values) or
-- conflicting_duplicate (other values).  Files read together count as one
-- file, rows in order, except in the detail: a row whose first is in an
-- earlier file finds it "already stored", as when the files are read one
-- after the other.  Values are compared by a 64-bit hash of all of them
-- (_gl_hash).  Every valid row whose key is repeated in the files or stored
-- is among the rows kept aside, so ranking them alone is exact.
CREATE OR REPLACE TEMP TABLE _ingest_fates AS
WITH valid AS (
    SELECT e._gl_row, e._gl_file, e._gl_key, e._gl_hash, s._gl_stored_hash, s._gl_stored_file, s._gl_stored_row
    FROM _ingest_exceptions AS e
    LEFT JOIN _ingest_stored_values AS s ON s._gl_key = e._gl_key
    WHERE e._gl_reason IS NULL
),
fates AS (
    SELECT *,
           CASE
               WHEN _gl_stored_hash IS NOT NULL THEN
                   CASE WHEN _gl_stored_hash = _gl_hash THEN 'duplicate' ELSE 'stored' END
               WHEN _gl_first_row = _gl_row THEN 'load'
               WHEN _gl_first_hash = _gl_hash THEN 'duplicate'
               ELSE 'in_file'
           END AS _gl_fate
    FROM (
        SELECT *,
               first_value(_gl_row) OVER w AS _gl_first_row,
               first_value(_gl_hash) OVER w AS _gl_first_hash,
               first_value(_gl_file) OVER w AS _gl_first_file
        FROM valid
        WINDOW w AS (PARTITION BY _gl_key ORDER BY _gl_row ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
    )
    WHERE _gl_fate <> 'load'
),
values_as_given AS (      -- the stored form of each conflicting row, for rejects.raw
    SELECT * EXCLUDE (_gl_file, _gl_masked, _gl_reason, _gl_detail, _gl_raw, _gl_key, _gl_hash)
    FROM _ingest_exceptions
    WHERE _gl_row IN (SELECT _gl_row FROM fates WHERE _gl_fate <> 'duplicate')
)
SELECT f._gl_row, f._gl_file,
       CASE f._gl_fate WHEN 'duplicate' THEN 'duplicate' ELSE 'reject' END AS _gl_status,
       CASE WHEN f._gl_fate <> 'duplicate' THEN 'conflicting_duplicate' END AS _gl_reason,
       CASE f._gl_fate
           WHEN 'stored' THEN to_json(f._gl_key) || ' is already stored (' || f._gl_stored_file
                              || ' row ' || f._gl_stored_row || ') with other values'
           WHEN 'in_file' THEN to_json(f._gl_key) || CASE
               WHEN f._gl_first_file = f._gl_file
                   THEN ' is already at row ' || src_row(f._gl_file, f._gl_first_row) || ' of this file with other values'
               ELSE ' is already stored (' || src_file(f._gl_first_file) || ' row '
                    || src_row(f._gl_first_file, f._gl_first_row) || ') with other values' END
       END AS _gl_detail,
       json_merge_patch(to_json(v), '{"_gl_row": null}') AS _gl_raw
FROM fates AS f
LEFT JOIN values_as_given AS v ON v._gl_row = f._gl_row;
