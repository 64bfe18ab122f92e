-- templates/tpl_macros: how every template query cuts a prompt into segments and normalises them.
-- inputs: none
-- params: none
-- tpl_scan(prompt, n): a prompt longer than 2n characters is scanned on its
-- first and last n characters only (scaffolds sit around the variable part;
-- this bounds the cost of a pasted code file or book chapter).
-- tpl_split(prompt, n): segments are lines and sentences: split at line
-- breaks and at . ! ? : ; followed by white space.
-- tpl_norm(segment): lower-case, trimmed, every digit run replaced by 0.
CREATE OR REPLACE TEMP MACRO tpl_scan(p, n) AS
    CASE WHEN length(p) > 2 * n THEN left(p, n) || chr(10) || right(p, n) ELSE p END;

CREATE OR REPLACE TEMP MACRO tpl_split(p, n) AS
    regexp_split_to_array(tpl_scan(p, n), '\n|[.!?:;]\s+');

CREATE OR REPLACE TEMP MACRO tpl_norm(s) AS
    regexp_replace(lower(trim(s)), '[0-9]+', '0', 'g');

CREATE OR REPLACE TEMP MACRO tpl_words(s) AS
    len(regexp_extract_all(s, '[\pL\pN]+'));
