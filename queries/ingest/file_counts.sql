-- ingest/file_counts: how the rows of the file fared: read, loaded, rejected, duplicates, loaded rows with a masked card-like number.
-- inputs: _ingest_checked, _ingest_outcomes
-- params: none
WITH outcome AS (
    SELECT count(*) FILTER (WHERE _gl_status = 'reject') AS rejected,
           count(*) FILTER (WHERE _gl_status = 'duplicate') AS duplicate
    FROM _ingest_outcomes
),
checked AS (
    SELECT count(*) AS read,
           count(*) FILTER (WHERE _gl_masked AND _gl_reason IS NULL
                            AND _gl_row NOT IN (SELECT _gl_row FROM _ingest_fates)) AS masked
    FROM _ingest_checked
)
SELECT c.read AS rows_read,
       c.read - o.rejected - o.duplicate AS rows_loaded,
       o.rejected AS rows_rejected,
       o.duplicate AS rows_duplicate,
       c.masked AS rows_masked
FROM checked AS c, outcome AS o;
