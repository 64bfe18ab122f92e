-- status/rejects_by_reason: rejected rows per table and reason.
-- inputs: rejects
-- params: none
SELECT table_name, reason, count(*) AS n
FROM rejects
GROUP BY table_name, reason
ORDER BY table_name, n DESC, reason;
