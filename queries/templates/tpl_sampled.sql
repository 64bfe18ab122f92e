-- templates/tpl_sampled: how many prompts the discovery sample holds.
-- inputs: requests
-- params: $cut
-- The same filter as templates/tpl_segments; only request ids are read.
SELECT count(*) AS n
FROM requests
WHERE prompt IS NOT NULL AND prompt_template_id IS NULL AND hash(request_id) <= $cut;
