-- templates/template_examples: example prompts of one template, truncated, one per account first so they show its spread.
-- inputs: request_templates, requests
-- params: $template_id, $limit, $chars
WITH used AS (
    SELECT r.request_id, r.account_id, r.ts, r.prompt, r.prompt_template_id,
           row_number() OVER (PARTITION BY r.account_id ORDER BY r.ts, r.request_id) AS nth
    FROM request_templates AS rt
    JOIN requests AS r ON r.request_id = rt.request_id
    WHERE rt.template_id = $template_id
)
SELECT request_id, account_id, ts,
       CASE WHEN length(prompt) > $chars THEN left(prompt, $chars) || '…' ELSE prompt END AS prompt
FROM used
ORDER BY nth, ts, request_id
LIMIT $limit;
