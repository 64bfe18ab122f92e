-- templates/tpl_hits: the segments of every prompt that are a mined template's own: from tpl_segments for the sample, from the text for the rest.
-- inputs: tpl_segments, requests, tpl_own
-- params: $scan_chars, $mask_numbers, $rest_lo, $rest_hi
-- tpl_own(h, c, t, words) is registered by graphlink.templates: every
-- segment hash of every class a template owns, with the class, the
-- template and the class's words.  Prompts outside the sample (request id
-- hash in [$rest_lo, $rest_hi], an empty range when the sample is every
-- prompt) are cut and hashed as tpl_segments does, without the length
-- filter (own segments are long enough): so every prompt's text is read
-- once in all.  Segments are joined to a build side of a few thousand rows
-- and only matches are kept, a few rows per templated request.
CREATE OR REPLACE TEMP TABLE tpl_hits AS
WITH segs AS (
    SELECT rid, h
    FROM tpl_segments
    UNION ALL
    SELECT rid, hash(seg) AS h
    FROM tpl_prompt_segments($scan_chars, $mask_numbers, $rest_lo, $rest_hi)
)
SELECT s.rid, o.c, o.t, o.words
FROM segs AS s
JOIN tpl_own AS o ON o.h = s.h;
