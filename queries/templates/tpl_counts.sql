-- templates/tpl_counts: how many prompts were scanned for scaffolds and how many requests carry an upstream template id.
-- inputs: requests
-- params: none
SELECT count(*) FILTER (WHERE prompt IS NOT NULL AND prompt_template_id IS NULL) AS prompts,
       count(*) FILTER (WHERE prompt_template_id IS NOT NULL) AS upstream_requests
FROM requests;
