-- templates/request_templates: the template of every templated request: upstream ids as given, mined templates that are kept.
-- inputs: requests, tpl_rows, tpl_meta, tpl_template_stats
-- params: none
-- A request with an upstream prompt_template_id keeps it and is not mined.
INSERT INTO request_templates (request_id, template_id)
SELECT request_id, prompt_template_id
FROM requests
WHERE prompt_template_id IS NOT NULL
UNION ALL
SELECT w.request_id, m.template_id
FROM tpl_rows AS w
JOIN tpl_meta AS m ON m.t = w.t
SEMI JOIN tpl_template_stats AS s ON s.template_id = m.template_id AND s.mined;
