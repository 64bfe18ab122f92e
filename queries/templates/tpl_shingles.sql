-- templates/tpl_shingles: the word unigrams and bigrams of every candidate segment, hashed to 32 bits, for MinHash.
-- inputs: tpl_lines
-- params: none
-- Words are runs of letters, digits and _ in the normalised text, every
-- digit run the word 0 (whatever templates.mask_numbers says: this touches
-- only the candidates, so "Question 17 of 40" and "Question 18 of 40" are
-- near-duplicates).  Sorted by segment, as graphlink.templates.merge expects.
WITH w AS (
    SELECT h, regexp_extract_all(tpl_norm(text, TRUE), '[\pL\pN_]+') AS ws
    FROM tpl_lines
),
sh AS (
    SELECT h, unnest(ws) AS s FROM w
    UNION ALL
    SELECT h, unnest(list_transform(range(1, len(ws)), lambda i: ws[i] || ' ' || ws[i + 1])) AS s FROM w
)
SELECT DISTINCT h, (hash(s) & 4294967295)::UINTEGER AS sh
FROM sh
ORDER BY h, sh;
