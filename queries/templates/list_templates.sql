-- templates/list_templates: the most used templates, with their spread and flags.
-- inputs: templates
-- params: $limit
SELECT template_id, source, n_requests, n_accounts, first_seen, last_seen,
       elicits_reasoning, grades_outputs, flags, is_hub, n_variants, scaffold_words, skeleton
FROM templates
ORDER BY n_requests DESC, template_id
LIMIT $limit;
