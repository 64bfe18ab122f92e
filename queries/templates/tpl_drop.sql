-- templates/tpl_drop: drop the working tables of a mining.
-- inputs: tpl_segments, tpl_lines, tpl_request_signatures, tpl_signatures, tpl_groups, tpl_hits, tpl_marks, tpl_rows, tpl_template_stats
-- params: none
DROP TABLE IF EXISTS tpl_segments;
DROP TABLE IF EXISTS tpl_lines;
DROP TABLE IF EXISTS tpl_request_signatures;
DROP TABLE IF EXISTS tpl_signatures;
DROP TABLE IF EXISTS tpl_groups;
DROP TABLE IF EXISTS tpl_hits;
DROP TABLE IF EXISTS tpl_marks;
DROP TABLE IF EXISTS tpl_rows;
DROP TABLE IF EXISTS tpl_template_stats;
