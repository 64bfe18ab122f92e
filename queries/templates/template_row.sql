-- templates/template_row: one template by id.
-- inputs: templates
-- params: $template_id
SELECT template_id, source, n_requests, n_accounts, first_seen, last_seen,
       elicits_reasoning, grades_outputs, flags, is_hub, n_variants, scaffold_words, skeleton
FROM templates
WHERE template_id = $template_id;
