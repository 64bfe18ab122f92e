-- templates/tpl_sampled: how many prompts the discovery sample holds.
-- inputs: requests
-- params: $cut, $block
-- The same filter as templates/tpl_segments; no text is read.
SELECT count(*) AS n
FROM requests
WHERE prompt IS NOT NULL AND prompt_template_id IS NULL AND tpl_block(rowid, $block) <= $cut::UBIGINT;
