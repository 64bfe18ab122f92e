-- templates/tpl_lines: candidate scaffold segments: in enough distinct prompts, from enough accounts, long enough; with their text from one prompt.
-- inputs: tpl_segments, requests
-- params: $segment_min_requests, $segment_min_accounts, $scan_chars, $mask_numbers, $min_segment_words, $cut, $block
-- Counting distinct prompts, not requests, keeps out the sentences of a
-- problem sent several times word for word: a scaffold surrounds different
-- text every time.  text is the segment as written (trimmed) in the first
-- prompt (by rowid) that has it.
CREATE OR REPLACE TEMP TABLE tpl_lines AS
WITH frequent AS (
    SELECT h
    FROM tpl_segments
    GROUP BY h
    HAVING count(*) >= $segment_min_requests
),
spread AS (
    SELECT s.h, count(*) AS n_occurrences, count(DISTINCT s.acc) AS n_accounts, min(s.rid) AS rid
    FROM tpl_segments AS s
    SEMI JOIN frequent AS f ON s.h = f.h
    GROUP BY s.h
    HAVING count(DISTINCT s.ph) >= $segment_min_requests AND count(DISTINCT s.acc) >= $segment_min_accounts
),
examples AS (
    -- each example prompt cut once, however many candidates it shows
    SELECT e.rid, tpl_split(tpl_scan(r.prompt, $scan_chars)) AS segs, tpl_hashes(r.prompt, $scan_chars, $mask_numbers) AS hashes
    FROM (SELECT DISTINCT rid FROM spread) AS e
    JOIN requests AS r ON r.rowid = e.rid
    WHERE tpl_block(r.rowid, $block) <= $cut::UBIGINT  -- they are in the sample: read its blocks only
),
texts AS (
    SELECT sp.h, sp.n_occurrences, sp.n_accounts, trim(e.segs[list_position(e.hashes, sp.h)]) AS text
    FROM spread AS sp
    JOIN examples AS e ON e.rid = sp.rid
)
SELECT h, n_occurrences, n_accounts, text, tpl_words(text) AS n_words
FROM texts
WHERE tpl_words(text) >= $min_segment_words;
