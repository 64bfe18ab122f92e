-- templates/tpl_leader_segments: the scanned text of each template's example prompt and the hash of each of its segments, to draw the skeleton from.
-- inputs: tpl_leaders, requests
-- params: $scan_chars
-- tpl_leaders(grp, rid) is registered by graphlink.templates.  hashes[i] is
-- the hash of segment i as tpl_segments computes it, NULL for segments too
-- short to be scaffold.
SELECT l.grp,
       tpl_scan(r.prompt, $scan_chars) AS text,
       list_transform(tpl_split(r.prompt, $scan_chars), lambda s: hash(tpl_norm(s))) AS hashes
FROM tpl_leaders AS l
JOIN requests AS r ON r.rowid = l.rid
ORDER BY l.grp;
