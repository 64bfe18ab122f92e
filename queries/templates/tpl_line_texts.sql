-- templates/tpl_line_texts: the candidate scaffold segments handed to the near-duplicate merge.
-- inputs: tpl_lines
-- params: none
SELECT h, text, n_words, n_occurrences
FROM tpl_lines
ORDER BY h;
