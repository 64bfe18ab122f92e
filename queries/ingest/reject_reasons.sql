-- ingest/reject_reasons: the rejected rows of each file (_gl_file) per reason.
-- inputs: _ingest_outcomes
-- params: none
SELECT _gl_file AS file, _gl_reason AS reason, count(*) AS n
FROM _ingest_outcomes
WHERE _gl_status = 'reject'
GROUP BY _gl_file, _gl_reason
ORDER BY file, n DESC, reason;
