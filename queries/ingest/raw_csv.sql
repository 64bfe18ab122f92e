-- ingest/raw_csv: _ingest_raw for a CSV file: the rows read, numbered 1.. in
-- file order, plus one row per line that did not fit (with the error); a CSV
-- file is read alone (its _gl_file is 0).
-- inputs: _ingest_read, _ingest_csv_errors
-- params: none
-- The number of a good row counts the broken rows before it: the j-th broken row
-- (data row d_j) has d_j - j good rows before it (an ASOF join finds them).
CREATE OR REPLACE TEMP VIEW _ingest_raw AS
WITH broken AS (
    SELECT line - 1 AS data_row,
           string_agg(DISTINCT error_type, '; ' ORDER BY error_type) AS error,
           any_value(csv_line) AS line_text
    FROM _ingest_csv_errors
    GROUP BY line
),
numbered AS (
    SELECT data_row, error, line_text,
           row_number() OVER (ORDER BY data_row) AS n_broken
    FROM broken
),
good AS (
    SELECT rowid + 1 AS _gl_i, * FROM _ingest_read
)
SELECT g._gl_i + coalesce(b.n_broken, 0) AS _gl_row,
       0 AS _gl_file,
       NULL::VARCHAR AS _gl_error,
       NULL::VARCHAR AS _gl_text,
       g.* EXCLUDE (_gl_i)
FROM good AS g
ASOF LEFT JOIN (SELECT data_row - n_broken AS good_before, n_broken FROM numbered) AS b
    ON g._gl_i > b.good_before
UNION ALL BY NAME
SELECT data_row AS _gl_row, 0 AS _gl_file, lower(error) AS _gl_error, line_text AS _gl_text
FROM numbered;
