-- templates/tpl_drop: drop the working tables of a mining (they hold per-segment rows).
-- inputs: tpl_segments, tpl_lines, tpl_request_signatures, tpl_signatures, tpl_groups, tpl_assigned
-- params: none
DROP TABLE IF EXISTS tpl_segments;
DROP TABLE IF EXISTS tpl_lines;
DROP TABLE IF EXISTS tpl_request_signatures;
DROP TABLE IF EXISTS tpl_signatures;
DROP TABLE IF EXISTS tpl_groups;
DROP TABLE IF EXISTS tpl_assigned;
