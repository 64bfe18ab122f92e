-- templates/request_templates: the template of every templated request: upstream ids as given, mined templates that meet the thresholds after assignment.
-- inputs: requests, tpl_assigned
-- params: $min_requests, $min_accounts
-- A request with an upstream prompt_template_id keeps it and is not mined.
INSERT INTO request_templates (request_id, template_id)
WITH kept AS (
    SELECT template_id
    FROM tpl_assigned
    GROUP BY template_id
    HAVING count(*) >= $min_requests AND count(DISTINCT acc) >= $min_accounts
)
SELECT request_id, prompt_template_id
FROM requests
WHERE prompt_template_id IS NOT NULL
UNION ALL
SELECT r.request_id, a.template_id
FROM tpl_assigned AS a
SEMI JOIN kept AS k ON k.template_id = a.template_id
JOIN requests AS r ON r.rowid = a.rid;
