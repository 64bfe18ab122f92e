-- ingest/labels: append the rows of _ingest_load (the plain rows of the file, or the loadable rows kept aside) to labels, in the order read.
-- inputs: _ingest_load
-- params: $source_file
INSERT INTO labels
SELECT account_id, label, campaign_id, source, labeled_at, extra, $source_file, _gl_row
FROM _ingest_load;
