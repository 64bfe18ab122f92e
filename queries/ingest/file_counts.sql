-- ingest/file_counts: how the rows kept aside fared: rejected, duplicates, loaded rows with a masked card-like number.
-- inputs: _ingest_exceptions, _ingest_outcomes, _ingest_fates
-- params: none
-- (Plain rows are loaded, and hold no card-like number.)
WITH outcome AS (
    SELECT count(*) FILTER (WHERE _gl_status = 'reject') AS rejected,
           count(*) FILTER (WHERE _gl_status = 'duplicate') AS duplicate
    FROM _ingest_outcomes
),
masked AS (
    SELECT count(*) AS masked
    FROM _ingest_exceptions
    WHERE _gl_masked AND _gl_reason IS NULL AND _gl_row NOT IN (SELECT _gl_row FROM _ingest_fates)
)
SELECT o.rejected AS rows_rejected,
       o.duplicate AS rows_duplicate,
       m.masked AS rows_masked
FROM outcome AS o, masked AS m;
