-- templates/request_templates: the template of every templated request: upstream ids as given, mined templates that are kept.
-- inputs: requests, tpl_assigned, tpl_meta, tpl_template_stats
-- params: none
-- A request with an upstream prompt_template_id keeps it and is not mined.
INSERT INTO request_templates (request_id, template_id)
WITH kept AS (
    SELECT m.t, m.template_id
    FROM tpl_meta AS m
    SEMI JOIN tpl_template_stats AS s ON s.template_id = m.template_id AND s.mined
)
SELECT request_id, prompt_template_id
FROM requests
WHERE prompt_template_id IS NOT NULL
UNION ALL
SELECT r.request_id, k.template_id
FROM tpl_assigned AS a
JOIN kept AS k ON k.t = a.t
JOIN requests AS r ON r.rowid = a.rid;
