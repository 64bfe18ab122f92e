-- templates/tpl_refine_signatures: narrow every prompt's signature to the segments listed in tpl_keep_list.
-- inputs: tpl_request_signatures, tpl_keep_list
-- params: none
-- tpl_keep_list(h) is registered by graphlink.templates: the segments that
-- are frequent in some group of the first round.  Prompts left without any
-- segment drop out.
CREATE OR REPLACE TEMP TABLE tpl_request_signatures AS
WITH kept AS (
    SELECT r.rid, any_value(r.acc) AS acc, any_value(r.plen) AS plen, list_sort(list(u.h)) AS segs
    FROM tpl_request_signatures AS r
    CROSS JOIN unnest(r.segs) AS u(h)
    SEMI JOIN tpl_keep_list AS k ON u.h = k.h
    GROUP BY r.rid
)
SELECT rid, acc, plen, hash(segs) AS sig, segs
FROM kept;
