-- templates/tpl_rows: the request id, account and time of every prompt tpl_marks marks, read in one join for the three tables written from them.
-- inputs: tpl_marks, requests
-- params: none
CREATE OR REPLACE TEMP TABLE tpl_rows AS
SELECT r.request_id, r.account_id, r.ts, k.t, k.fl
FROM tpl_marks AS k
JOIN requests AS r ON r.rowid = k.rid;
