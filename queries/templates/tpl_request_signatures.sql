-- templates/tpl_request_signatures: each sampled prompt's scaffold signature, the sorted set of candidate segment classes it contains.
-- inputs: tpl_segments, tpl_seg_class
-- params: none
-- tpl_seg_class(h, c) is registered by graphlink.templates: the class (a
-- sentence and its near-duplicates) of every candidate segment.  Prompts
-- without any candidate segment have no row.  Bounded by the sample.
CREATE OR REPLACE TEMP TABLE tpl_request_signatures AS
WITH sets AS (
    SELECT s.rid, any_value(s.acc) AS acc, any_value(s.plen) AS plen, list_sort(list_distinct(list(c.c))) AS segs
    FROM tpl_segments AS s
    JOIN tpl_seg_class AS c ON c.h = s.h
    GROUP BY s.rid
)
SELECT rid, acc, plen, hash(segs) AS sig, segs
FROM sets;
