-- templates/tpl_segments: every segment of every prompt long enough to be scaffold, as a hash of its normalised text.
-- inputs: requests
-- params: $scan_chars, $min_segment_chars, $mask_numbers
-- Prompts with text and no upstream template id only.  rid is the request's
-- rowid (joins back to requests without carrying request_id strings), acc a
-- 32-bit hash of its account, ph a 32-bit hash of the whole prompt: they are
-- only counted, and 20-byte rows keep ten million prompts' segments (60M
-- rows) near 1.2 GB.
CREATE OR REPLACE TEMP TABLE tpl_segments AS
WITH parts AS (
    SELECT rowid::UINTEGER AS rid, (hash(account_id) >> 32)::UINTEGER AS acc, (hash(prompt) >> 32)::UINTEGER AS ph,
           tpl_split(tpl_norm(tpl_scan(prompt, $scan_chars), $mask_numbers)) AS segs
    FROM requests
    WHERE prompt IS NOT NULL AND prompt_template_id IS NULL
),
flat AS (
    SELECT rid, acc, ph, unnest(segs) AS seg
    FROM parts
)
SELECT rid, acc, ph, hash(seg) AS h
FROM flat
WHERE length(seg) >= $min_segment_chars;
