-- templates/tpl_longest: the statistics DuckDB keeps of the prompt column (its max_string_length is the longest prompt in bytes, an upper bound); no text is read.
-- inputs: requests
-- params: none
SELECT stats(prompt) AS stats
FROM requests
LIMIT 1;
