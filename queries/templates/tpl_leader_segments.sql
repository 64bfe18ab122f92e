-- templates/tpl_leader_segments: the scanned text of each template's example prompt and the hash of each of its segments, to draw the skeleton from.
-- inputs: tpl_leaders, requests
-- params: $scan_chars, $mask_numbers, $cut, $block
-- tpl_leaders(grp, rid) is registered by graphlink.templates.  hashes[i] is
-- the hash of segment i of the normalised text, as tpl_segments computes it.
-- The example prompts are in the sample: only its blocks are read.
SELECT l.grp,
       tpl_scan(r.prompt, $scan_chars) AS text,
       tpl_hashes(r.prompt, $scan_chars, $mask_numbers) AS hashes
FROM tpl_leaders AS l
JOIN requests AS r ON r.rowid = l.rid
WHERE tpl_block(r.rowid, $block) <= $cut::UBIGINT
ORDER BY l.grp;
