-- templates/template_accounts: the accounts that use one template most, with their request counts and time span.
-- inputs: request_templates, requests
-- params: $template_id, $limit
SELECT r.account_id, count(*) AS n_requests, min(r.ts) AS first_seen, max(r.ts) AS last_seen
FROM request_templates AS rt
JOIN requests AS r ON r.request_id = rt.request_id
WHERE rt.template_id = $template_id
GROUP BY r.account_id
ORDER BY n_requests DESC, r.account_id
LIMIT $limit;
