-- templates/tpl_hits: the segments of every prompt that are a mined template's own (from tpl_segments for the sample, from the text for the rest), and the phrase flags of the prompts outside the sample.
-- inputs: tpl_segments, requests, tpl_own
-- params: $scan_chars, $mask_numbers, $rest_lo, $rest_hi, $any_pattern, $reasoning_pattern, $grading_pattern, $block, $long_prompts
-- tpl_own(h, c, t, words) is registered by graphlink.templates: every
-- segment hash of every class a template owns, with the class (a small
-- number), the template and the class's words.  Prompts outside the sample
-- (block hash in [$rest_lo, $rest_hi], an empty range when the sample is
-- every prompt) are cut and hashed as tpl_segments does, without the length
-- filter (own segments are long enough), and searched for the phrases as
-- templates/request_flags does, in the same pass: so every prompt's text is
-- read once in all.  fl (1 reasoning, 2 grading, 3 both) rides on the first
-- segment of a flagged prompt.  Segments are joined to a build side of a
-- few thousand rows and only matches and flags are kept: a few narrow rows
-- per templated or flagged request.
CREATE OR REPLACE TEMP TABLE tpl_hits AS
WITH flagged AS (
    SELECT rid, segs,
           CASE WHEN NOT coalesce(regexp_matches(prompt, $any_pattern), FALSE) THEN 0
                WHEN coalesce(regexp_matches(prompt, $reasoning_pattern), FALSE)
                    THEN 1 + 2 * coalesce(regexp_matches(prompt, $grading_pattern), FALSE)::INTEGER
                ELSE 2 END AS fl
    FROM tpl_prompt_cuts($scan_chars, $mask_numbers, $block, $rest_lo::UBIGINT, $rest_hi::UBIGINT, $long_prompts)
),
flat AS (
    SELECT rid, unnest(segs) AS seg, unnest([fl]) AS fl
    FROM flagged
),
segs AS (
    SELECT rid, h, NULL::INTEGER AS fl
    FROM tpl_segments
    UNION ALL
    SELECT rid, hash(seg) AS h, fl
    FROM flat
)
SELECT s.rid, o.c, o.t, o.words, nullif(s.fl, 0)::TINYINT AS fl
FROM segs AS s
LEFT JOIN tpl_own AS o ON o.h = s.h
WHERE o.h IS NOT NULL OR s.fl > 0;
