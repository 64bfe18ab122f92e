-- templates/tpl_segments: every segment long enough to be scaffold of every sampled prompt, as a hash of its normalised text.
-- inputs: requests
-- params: $scan_chars, $min_segment_chars, $mask_numbers, $cut, $block, $long_prompts
-- The sample: prompts with text and no upstream template id in the blocks
-- of requests (tpl_block) that hash to at most $cut, of fixed expected size
-- (every prompt with the largest UBIGINT).  The filter is pushed into the
-- scan, so the text of other blocks is never read.  rid is the request's rowid (joins back to
-- requests without carrying request_id strings), acc a 32-bit hash of its
-- account, ph a 32-bit hash of the whole prompt, plen its length in
-- characters: they are only counted.  Lengths are checked in bytes first:
-- cheaper, and never fewer than characters.
CREATE OR REPLACE TEMP TABLE tpl_segments AS
WITH cuts AS (
    SELECT rid, (hash(account_id) >> 32)::UINTEGER AS acc, (hash(prompt) >> 32)::UINTEGER AS ph,
           length(prompt)::INTEGER AS plen, segs
    FROM tpl_prompt_cuts($scan_chars, $mask_numbers, $block, 0::UBIGINT, $cut::UBIGINT, $long_prompts)
),
flat AS (
    SELECT rid, acc, ph, plen, unnest(segs) AS seg
    FROM cuts
)
SELECT rid, acc, ph, plen, hash(seg) AS h
FROM flat
WHERE strlen(seg) >= $min_segment_chars AND length(seg) >= $min_segment_chars;
