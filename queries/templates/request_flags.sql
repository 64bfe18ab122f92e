-- templates/request_flags: the requests whose own prompt contains a configured reasoning or grading phrase.
-- inputs: requests
-- params: $reasoning_pattern, $grading_pattern
-- The patterns are case-insensitive alternations of the phrases, taken
-- literally (NULL when a list is empty).  Only matching requests get a row.
INSERT INTO request_flags (request_id, reasoning, grading)
SELECT request_id, reasoning, grading
FROM (
    SELECT request_id,
           coalesce(regexp_matches(prompt, $reasoning_pattern), FALSE) AS reasoning,
           coalesce(regexp_matches(prompt, $grading_pattern), FALSE) AS grading
    FROM requests
    WHERE prompt IS NOT NULL
)
WHERE reasoning OR grading;
