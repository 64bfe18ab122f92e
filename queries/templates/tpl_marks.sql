-- templates/tpl_marks: what the mining says about each prompt it marks: its mined template (the one whose own lines it carries most words of, if enough) and its phrase flags.
-- inputs: tpl_hits, tpl_meta
-- params: $n_templates
-- Each class counts once per prompt (two wordings of one sentence are one
-- line).  Ties go to the larger template id (t numbers templates in id
-- order).  A prompt gets its best template only when the words reach the
-- template's need (min_match of its core), so quoting one line of a
-- scaffold is not using it.  fl are the flags tpl_hits found outside the
-- sample (1 reasoning, 2 grading, 3 both).  One row per prompt with a
-- template or a flag; fixed-size aggregates only: spills at any size.
CREATE OR REPLACE TEMP TABLE tpl_marks AS
WITH classes AS (
    SELECT DISTINCT rid, c, t, words
    FROM tpl_hits
    WHERE c IS NOT NULL
),
matched AS (
    SELECT rid, t, sum(words)::BIGINT AS n
    FROM classes
    GROUP BY rid, t
),
marks AS (
    SELECT rid, n * $n_templates + t AS k, NULL::TINYINT AS fl
    FROM matched
    UNION ALL
    SELECT rid, NULL AS k, fl
    FROM tpl_hits
    WHERE fl IS NOT NULL
),
best AS (
    SELECT rid, max(k) AS k, max(fl) AS fl
    FROM marks
    GROUP BY rid
)
SELECT b.rid, m.t, b.fl
FROM best AS b
LEFT JOIN tpl_meta AS m ON m.t = b.k % $n_templates AND b.k // $n_templates >= m.need
WHERE m.t IS NOT NULL OR b.fl IS NOT NULL;
