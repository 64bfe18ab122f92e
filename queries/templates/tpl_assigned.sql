-- templates/tpl_assigned: the mined template of each prompt: the one whose own lines it carries most words of, if enough.
-- inputs: tpl_hits, tpl_meta
-- params: $n_templates
-- Each class counts once per prompt (two wordings of one sentence are one
-- line).  Ties go to the larger template id (t numbers templates in id
-- order).  A prompt gets its best template only when the words reach the
-- template's need (min_match of its core), so quoting one line of a
-- scaffold is not using it.  Fixed-size aggregates only: spills at any size.
CREATE OR REPLACE TEMP TABLE tpl_assigned AS
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
best AS (
    SELECT rid, max(n * $n_templates + t) AS k
    FROM matched
    GROUP BY rid
)
SELECT b.rid, m.t
FROM best AS b
JOIN tpl_meta AS m ON m.t = b.k % $n_templates
WHERE b.k // $n_templates >= m.need;
