-- ingest/labels: append the loadable labels rows of the file, in file order.
-- inputs: _ingest_checked, _ingest_fates
-- params: $source_file
INSERT INTO labels
SELECT account_id, label, campaign_id, source, labeled_at, extra, $source_file, _gl_row
FROM _ingest_checked
WHERE _gl_reason IS NULL AND _gl_row NOT IN (SELECT _gl_row FROM _ingest_fates)
ORDER BY _gl_row;
