-- ingest/reject_reasons: the rejected rows of the file per reason.
-- inputs: _ingest_outcomes
-- params: none
SELECT _gl_reason AS reason, count(*) AS n
FROM _ingest_outcomes
WHERE _gl_status = 'reject'
GROUP BY _gl_reason
ORDER BY n DESC, reason;
