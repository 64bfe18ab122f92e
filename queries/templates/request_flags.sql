-- templates/request_flags: the requests whose own prompt contains a configured reasoning or grading phrase: prompts to mine whose block (tpl_block) hashes into [$lo, $hi], and every prompt with an upstream template id.
-- inputs: requests
-- params: $any_pattern, $reasoning_pattern, $grading_pattern, $lo, $hi, $block
-- The patterns are case-insensitive alternations of the phrases, taken
-- literally ($any_pattern: both lists; NULL when a list is empty).  Only
-- matching requests get a row.  One regular expression over every prompt
-- finds them: a prompt matches it exactly when it matches one of the lists,
-- so one without a reasoning phrase has a grading phrase, and the grading
-- list is searched only in prompts that have both kinds to tell apart.
-- Mining flags the discovery sample here and the other prompts to mine in
-- the text pass of templates/tpl_hits, the same way.
INSERT INTO request_flags (request_id, reasoning, grading)
WITH scope AS (
    SELECT request_id, prompt
    FROM requests
    WHERE prompt IS NOT NULL AND prompt_template_id IS NULL AND tpl_block(rowid, $block) BETWEEN $lo::UBIGINT AND $hi::UBIGINT
    UNION ALL
    SELECT request_id, prompt
    FROM requests
    WHERE prompt IS NOT NULL AND prompt_template_id IS NOT NULL
),
found AS (
    SELECT request_id, prompt, coalesce(regexp_matches(prompt, $reasoning_pattern), FALSE) AS reasoning
    FROM scope
    WHERE regexp_matches(prompt, $any_pattern)
)
SELECT request_id, reasoning,
       CASE WHEN reasoning THEN coalesce(regexp_matches(prompt, $grading_pattern), FALSE) ELSE TRUE END AS grading
FROM found;
