-- ingest/dedupe: _ingest_fates: the rows that break no rule but are not loaded: duplicates and conflicting duplicates.
-- inputs: _ingest_checked
-- params: none
-- A row whose key is already stored is a duplicate when its values equal the
-- stored ones, else a conflicting_duplicate.  A key seen twice in the file
-- keeps its first row; later rows are duplicates (same values) or
-- conflicting_duplicate (other values).  Values are compared by a 64-bit hash
-- of all of them (_gl_hash), so only keys stored or repeated are ranked and a
-- file of new unique keys costs one aggregation.
CREATE OR REPLACE TEMP TABLE _ingest_fates AS
WITH valid AS (
    SELECT _gl_row, _gl_key, _gl_hash, _gl_stored_hash, _gl_stored_file, _gl_stored_row
    FROM _ingest_checked
    WHERE _gl_reason IS NULL
),
repeated AS (
    SELECT _gl_key FROM valid GROUP BY _gl_key HAVING count(*) > 1
),
candidates AS (
    SELECT * FROM valid
    WHERE _gl_stored_hash IS NOT NULL OR _gl_key IN (SELECT _gl_key FROM repeated)
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
               first_value(_gl_hash) OVER w AS _gl_first_hash
        FROM candidates
        WINDOW w AS (PARTITION BY _gl_key ORDER BY _gl_row ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
    )
    WHERE _gl_fate <> 'load'
),
values_as_given AS (      -- the stored form of each conflicting row, for rejects.raw
    SELECT * EXCLUDE (_gl_masked, _gl_reason, _gl_detail, _gl_raw, _gl_key, _gl_hash,
                      _gl_stored_hash, _gl_stored_file, _gl_stored_row)
    FROM _ingest_checked
    WHERE _gl_row IN (SELECT _gl_row FROM fates WHERE _gl_fate <> 'duplicate')
)
SELECT f._gl_row,
       CASE f._gl_fate WHEN 'duplicate' THEN 'duplicate' ELSE 'reject' END AS _gl_status,
       CASE WHEN f._gl_fate <> 'duplicate' THEN 'conflicting_duplicate' END AS _gl_reason,
       CASE f._gl_fate
           WHEN 'stored' THEN to_json(f._gl_key) || ' is already stored (' || f._gl_stored_file
                              || ' row ' || f._gl_stored_row || ') with other values'
           WHEN 'in_file' THEN to_json(f._gl_key) || ' is already at row ' || f._gl_first_row
                               || ' of this file with other values'
       END AS _gl_detail,
       json_merge_patch(to_json(v), '{"_gl_row": null}') AS _gl_raw
FROM fates AS f
LEFT JOIN values_as_given AS v ON v._gl_row = f._gl_row;
