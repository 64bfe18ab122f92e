-- templates/tpl_macros: how every template query cuts a prompt into segments and normalises them.
-- inputs: none
-- params: none
-- tpl_scan(prompt, n): a prompt longer than 2n characters is scanned on its
-- first and last n characters only (scaffolds sit around the variable part;
-- this bounds the cost of a pasted code file or book chapter).
-- tpl_norm(text, mask): lower-case, and with mask every digit run replaced
-- by 0 (the regular expression is 80% of this macro's cost).  Applied to the
-- whole scanned prompt, one call per prompt; it never adds or removes a
-- separator, so segment i of the normalised prompt is segment i of the
-- prompt as written.
-- tpl_split(text): segments are lines and sentences: cut after every line
-- break and after ". ", "? ", "! ", ": ", "; " (the mark stays with its
-- segment).  Plain replace and string_split: a third of the CPU of
-- regexp_split_to_array on the same text.
-- tpl_words(text): words, runs of letters and digits with at least one
-- letter (a number is not a word, so "x0 = y // 0" has two).
CREATE OR REPLACE TEMP MACRO tpl_scan(p, n) AS
    CASE WHEN length(p) > 2 * n THEN left(p, n) || chr(10) || right(p, n) ELSE p END;

CREATE OR REPLACE TEMP MACRO tpl_norm(p, mask) AS
    CASE WHEN mask THEN regexp_replace(lower(p), '[0-9]+', '0', 'g') ELSE lower(p) END;

CREATE OR REPLACE TEMP MACRO tpl_split(p) AS
    string_split(
        replace(replace(replace(replace(replace(p,
            '. ', '.' || chr(10)), '? ', '?' || chr(10)), '! ', '!' || chr(10)),
            ': ', ':' || chr(10)), '; ', ';' || chr(10)),
        chr(10));

CREATE OR REPLACE TEMP MACRO tpl_hashes(p, n, mask) AS
    list_transform(tpl_split(tpl_norm(tpl_scan(p, n), mask)), lambda s: hash(s));

CREATE OR REPLACE TEMP MACRO tpl_words(s) AS
    len(regexp_extract_all(s, '\pN*\pL[\pL\pN]*'));
