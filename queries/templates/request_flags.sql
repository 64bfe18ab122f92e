-- templates/request_flags: the requests whose own prompt contains a configured reasoning or grading phrase.
-- inputs: requests
-- params: $any_pattern, $reasoning_pattern, $grading_pattern
-- The patterns are case-insensitive alternations of the phrases, taken
-- literally ($any_pattern: both lists; NULL when a list is empty).  Only
-- matching requests get a row.  One regular expression over every prompt
-- finds them: a prompt matches it exactly when it matches one of the lists,
-- so one without a reasoning phrase has a grading phrase, and the grading
-- list is searched only in prompts that have both kinds to tell apart.
INSERT INTO request_flags (request_id, reasoning, grading)
WITH found AS (
    SELECT request_id, prompt, coalesce(regexp_matches(prompt, $reasoning_pattern), FALSE) AS reasoning
    FROM requests
    WHERE prompt IS NOT NULL AND regexp_matches(prompt, $any_pattern)
)
SELECT request_id, reasoning,
       CASE WHEN reasoning THEN coalesce(regexp_matches(prompt, $grading_pattern), FALSE) ELSE TRUE END AS grading
FROM found;
