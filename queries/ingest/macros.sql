-- ingest/macros: helpers of the ingest checks, created for the connection (temporary) before the first file.
-- inputs: none
-- params: none
-- The value rules themselves are the schema's macros (queries/schema/00_macros.sql);
-- these decide cheaply where they need to run.

-- text_in(s): s as the checks read it: trimmed (as trim does), an empty value
-- missing.  A value whose first and last characters are printable ASCII other
-- than a space is already trimmed, which spares the copy trim makes.
CREATE OR REPLACE TEMP MACRO text_in(s) AS (
    CASE WHEN s = '' THEN NULL
         WHEN ascii(s) BETWEEN 33 AND 126 AND ascii(s[-1]) BETWEEN 33 AND 126 THEN s
         ELSE nullif(trim(s), '') END
);

-- card_maybe(s): card_like(s), run only where it can match: a card-like
-- number needs 13 characters and a digit, and most values fail one of these
-- two tests (a search for a digit costs far less than the regular expression).
CREATE OR REPLACE TEMP MACRO card_maybe(s) AS (
    CASE WHEN strlen(s) >= 13
              AND (contains(s, '0') OR contains(s, '1') OR contains(s, '2') OR contains(s, '3')
                   OR contains(s, '4') OR contains(s, '5') OR contains(s, '6') OR contains(s, '7')
                   OR contains(s, '8') OR contains(s, '9'))
         THEN card_like(s) ELSE FALSE END
);

-- card_scrub(s): card_mask(s) where card_maybe(s), else s unchanged.
CREATE OR REPLACE TEMP MACRO card_scrub(s) AS (
    CASE WHEN card_maybe(s) THEN card_mask(s) ELSE s END
);

-- native_ts_ok(t): whether a timestamp read natively (Parquet) is stored as
-- it is: inside parse_ts's range [1970-01-01, 2100-01-01).  Others go the text
-- way, where parse_ts rejects them with their text.
CREATE OR REPLACE TEMP MACRO native_ts_ok(t) AS (
    t >= TIMESTAMP '1970-01-01' AND t < TIMESTAMP '2100-01-01'
);

-- native_int_ok(n): whether an integer read natively (Parquet) is stored as
-- it is: fewer than 13 digits, so it cannot be a card-like number.  Others go
-- the text way, where card numbers are masked and parse_int has the last word.
CREATE OR REPLACE TEMP MACRO native_int_ok(n) AS (
    n BETWEEN -999999999999 AND 999999999999
);

-- Files read together (ingest/source_files) are numbered 0.. in the order
-- given (_gl_file), and their rows 1.. across all of them (_gl_row: the rows
-- of file i follow those of the files before it).
-- src_file(f): the name file f is recorded under.
-- src_row(f, r): the number, within its own file, of row r of file f.
CREATE OR REPLACE TEMP MACRO src_file(f) AS (
    getvariable('ingest_files').names[(f + 1)::BIGINT]
);

CREATE OR REPLACE TEMP MACRO src_row(f, r) AS (
    r - getvariable('ingest_files').offsets[(f + 1)::BIGINT]
);
