-- templates/request_flags_hits: the flagged requests outside the discovery sample, whose phrases the text pass of tpl_hits searched.
-- inputs: tpl_rows
-- params: none
INSERT INTO request_flags (request_id, reasoning, grading)
SELECT request_id, fl & 1 = 1 AS reasoning, fl & 2 = 2 AS grading
FROM tpl_rows
WHERE fl IS NOT NULL;
