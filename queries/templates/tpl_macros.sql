-- templates/tpl_macros: how every template query cuts a prompt into segments and normalises them.
-- inputs: requests
-- params: none
-- tpl_scan(prompt, n): a prompt longer than 2n characters is scanned on its
-- first and last n characters only (scaffolds sit around the variable part;
-- this bounds the cost of a pasted code file or book chapter).  Its byte
-- length is checked first: counting characters decodes the whole text.
-- tpl_norm(text, mask): lower-case, and with mask every digit run replaced
-- by 0.  The regular expression runs only on text that has a digit (found
-- with ten plain searches, a fifth of its cost): most prompts have none.
-- Applied to the whole scanned prompt, one call per prompt; it never adds or
-- removes a separator, so segment i of the normalised prompt is segment i of
-- the prompt as written.
-- tpl_split(text): segments are lines and sentences: cut after every line
-- break and after ". ", "? ", "! ", ": ", "; " (the mark stays with its
-- segment).  Plain replace and string_split: a third of the CPU of
-- regexp_split_to_array on the same text.
-- tpl_hashes(prompt, n, mask): the hash of every segment of the scanned,
-- normalised prompt, in order.
-- tpl_block(rid, rows): the hash of a request's block, the *rows* consecutive
-- rows (as stored, templates.sample_block) that hold it.  The discovery sample is the blocks whose hash
-- is at most a cut: whole blocks, because prompt text is stored compressed
-- in runs of rows, and reading one row of a run decompresses all of it (a
-- sample of scattered rows costs a full read of the text).
-- tpl_prompt_cuts(n, mask, block, lo, hi, long): every prompt to mine whose
-- block hashes into [lo, hi], cut into its normalised segments (segs, in
-- order), with its request's rowid (rid), account and text: the text pass
-- of tpl_segments and tpl_hits.  tpl_scan is applied only to prompts longer
-- than 2n bytes, in a branch of their own that long = FALSE (no such prompt,
-- by the column's statistics) removes: passing every prompt through its
-- CASE copies all the text, a fifth of the pass.  One step per CTE: a macro
-- repeats its argument at every use, and DuckDB evaluates a CASE nested in
-- another CASE many times slower than the two one after the other.
-- tpl_words(text): words, runs of letters and digits with at least one
-- letter (a number is not a word, so "x0 = y // 0" has two).
CREATE OR REPLACE TEMP MACRO tpl_scan(p, n) AS
    CASE WHEN strlen(p) > 2 * n AND length(p) > 2 * n THEN left(p, n) || chr(10) || right(p, n) ELSE p END;

CREATE OR REPLACE TEMP MACRO tpl_has_digit(p) AS
    contains(p, '0') OR contains(p, '1') OR contains(p, '2') OR contains(p, '3') OR contains(p, '4')
    OR contains(p, '5') OR contains(p, '6') OR contains(p, '7') OR contains(p, '8') OR contains(p, '9');

CREATE OR REPLACE TEMP MACRO tpl_norm(p, mask) AS
    CASE WHEN mask AND tpl_has_digit(p) THEN regexp_replace(lower(p), '[0-9]+', '0', 'g') ELSE lower(p) END;

CREATE OR REPLACE TEMP MACRO tpl_split(p) AS
    string_split(
        replace(replace(replace(replace(replace(p,
            '. ', '.' || chr(10)), '? ', '?' || chr(10)), '! ', '!' || chr(10)),
            ': ', ':' || chr(10)), '; ', ';' || chr(10)),
        chr(10));

CREATE OR REPLACE TEMP MACRO tpl_hashes(p, n, mask) AS
    list_transform(tpl_split(tpl_norm(tpl_scan(p, n), mask)), lambda s: hash(s));

CREATE OR REPLACE TEMP MACRO tpl_block(rid, rows) AS
    hash(rid // rows);

CREATE OR REPLACE TEMP MACRO tpl_prompt_cuts(n, mask, block, lo, hi, long) AS TABLE
    WITH scanned AS (
        SELECT rowid AS rid, account_id, prompt, prompt AS p
        FROM requests
        WHERE prompt IS NOT NULL AND prompt_template_id IS NULL AND tpl_block(rowid, block) BETWEEN lo AND hi
          AND (NOT long OR strlen(prompt) <= 2 * n)
        UNION ALL
        SELECT rowid AS rid, account_id, prompt, tpl_scan(prompt, n) AS p
        FROM requests
        WHERE long AND prompt IS NOT NULL AND prompt_template_id IS NULL AND tpl_block(rowid, block) BETWEEN lo AND hi
          AND strlen(prompt) > 2 * n
    ),
    normed AS (
        SELECT rid, account_id, prompt, tpl_norm(p, mask) AS p
        FROM scanned
    )
    SELECT rid, account_id, prompt, tpl_split(p) AS segs
    FROM normed;

CREATE OR REPLACE TEMP MACRO tpl_words(s) AS
    len(regexp_extract_all(s, '\pN*\pL[\pL\pN]*'));
