-- ingest/labels: append the rows of _ingest_load (the plain rows of the files, or the loadable rows kept aside), each with its file and row number, to labels, in the order read.
-- inputs: _ingest_load
-- params: none
INSERT INTO labels
SELECT account_id, label, campaign_id, source, labeled_at, extra, src_file(_gl_file), src_row(_gl_file, _gl_row)
FROM _ingest_load;
