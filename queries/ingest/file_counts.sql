-- ingest/file_counts: how the rows kept aside fared, per file (_gl_file): rejected, duplicates, loaded rows with a masked card-like number.
-- inputs: _ingest_exceptions, _ingest_outcomes, _ingest_fates
-- params: none
-- (Plain rows are loaded, and hold no card-like number.)  Files with none of
-- these rows have no row.
WITH outcome AS (
    SELECT _gl_file,
           count(*) FILTER (WHERE _gl_status = 'reject') AS rejected,
           count(*) FILTER (WHERE _gl_status = 'duplicate') AS duplicate,
           0 AS masked
    FROM _ingest_outcomes
    GROUP BY _gl_file
    UNION ALL
    SELECT _gl_file, 0, 0, count(*)
    FROM _ingest_exceptions
    WHERE _gl_masked AND _gl_reason IS NULL AND _gl_row NOT IN (SELECT _gl_row FROM _ingest_fates)
    GROUP BY _gl_file
)
SELECT _gl_file AS file,
       sum(rejected)::BIGINT AS rows_rejected,
       sum(duplicate)::BIGINT AS rows_duplicate,
       sum(masked)::BIGINT AS rows_masked
FROM outcome
GROUP BY _gl_file
ORDER BY _gl_file;
