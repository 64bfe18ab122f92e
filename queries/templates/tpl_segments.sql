-- templates/tpl_segments: every segment long enough to be scaffold of every sampled prompt, as a hash of its normalised text.
-- inputs: requests
-- params: $scan_chars, $min_segment_chars, $mask_numbers, $cut
-- The sample: prompts with text and no upstream template id whose request
-- id hashes to at most $cut, of fixed expected size (every prompt with the
-- largest UBIGINT), the same for the same requests whatever order they were
-- loaded in.  The filter is pushed into the scan, so prompts outside the
-- sample are never read.  rid is the request's rowid (joins back to
-- requests without carrying request_id strings), acc a 32-bit hash of its
-- account, ph a 32-bit hash of the whole prompt, plen its length in
-- characters: they are only counted.  Lengths are checked in bytes first:
-- cheaper, and never fewer than characters.
CREATE OR REPLACE TEMP TABLE tpl_segments AS
SELECT rid, acc, ph, plen, hash(seg) AS h
FROM tpl_prompt_segments($scan_chars, $mask_numbers, 0, $cut)
WHERE strlen(seg) >= $min_segment_chars AND length(seg) >= $min_segment_chars;
