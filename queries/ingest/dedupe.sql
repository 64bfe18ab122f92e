-- ingest/dedupe: _ingest_fates: the rows that break no rule but are not loaded: duplicates and conflicting duplicates.
-- inputs: _ingest_checked
-- params: none
-- A row whose key is already stored is a duplicate when its values equal the
-- stored ones, else a conflicting_duplicate.  A key seen twice in the file
-- keeps its first row; later rows are duplicates (same values) or
-- conflicting_duplicate (other values).  Only keys stored or repeated are
-- ranked, so a file of unique new keys costs one aggregation.
CREATE OR REPLACE TEMP TABLE _ingest_fates AS
WITH valid AS (
    SELECT _gl_row, _gl_key, _gl_content, _gl_stored, _gl_stored_file, _gl_stored_row, extra
    FROM _ingest_checked
    WHERE _gl_reason IS NULL
),
repeated AS (
    SELECT _gl_key FROM valid GROUP BY _gl_key HAVING count(*) > 1
),
candidates AS (
    SELECT * FROM valid
    WHERE _gl_stored IS NOT NULL OR _gl_key IN (SELECT _gl_key FROM repeated)
),
ranked AS (
    SELECT *,
           first_value(_gl_row) OVER w AS _gl_first_row,
           first_value(_gl_content) OVER w AS _gl_first_content
    FROM candidates
    WINDOW w AS (PARTITION BY _gl_key ORDER BY _gl_row ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
fates AS (
    SELECT *,
           CASE
               WHEN _gl_stored IS NOT NULL THEN
                   CASE WHEN _gl_stored IS NOT DISTINCT FROM _gl_content THEN 'duplicate' ELSE 'stored' END
               WHEN _gl_first_row = _gl_row THEN 'load'
               WHEN _gl_first_content IS NOT DISTINCT FROM _gl_content THEN 'duplicate'
               ELSE 'in_file'
           END AS _gl_fate
    FROM ranked
)
SELECT _gl_row,
       CASE _gl_fate WHEN 'duplicate' THEN 'duplicate' ELSE 'reject' END AS _gl_status,
       CASE WHEN _gl_fate <> 'duplicate' THEN 'conflicting_duplicate' END AS _gl_reason,
       CASE _gl_fate
           WHEN 'stored' THEN to_json(_gl_key) || ' is already stored (' || _gl_stored_file
                              || ' row ' || _gl_stored_row || ') with other values'
           WHEN 'in_file' THEN to_json(_gl_key) || ' is already at row ' || _gl_first_row
                               || ' of this file with other values'
       END AS _gl_detail,
       CASE WHEN _gl_fate <> 'duplicate'
            THEN json_merge_patch(to_json(_gl_key), to_json(_gl_content), coalesce(extra, '{}'))
       END AS _gl_raw
FROM fates
WHERE _gl_fate <> 'load';
