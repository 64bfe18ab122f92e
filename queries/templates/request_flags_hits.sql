-- templates/request_flags_hits: the flagged requests outside the discovery sample, whose phrases the text pass of tpl_hits searched.
-- inputs: tpl_hits, requests
-- params: none
INSERT INTO request_flags (request_id, reasoning, grading)
SELECT r.request_id, h.fl & 1 = 1 AS reasoning, h.fl & 2 = 2 AS grading
FROM tpl_hits AS h
JOIN requests AS r ON r.rowid = h.rid
WHERE h.fl IS NOT NULL;
