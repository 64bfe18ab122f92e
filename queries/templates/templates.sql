-- templates/templates: one row per template: skeleton, spread, hub status and elicitation flags.
-- inputs: request_templates, requests, tpl_meta
-- params: $hub_cap
-- tpl_meta is registered by graphlink.templates (mined templates only); a
-- template id without meta came from requests.prompt_template_id.
INSERT INTO templates
WITH stats AS (
    SELECT rt.template_id, count(*) AS n_requests, count(DISTINCT r.account_id) AS n_accounts,
           min(r.ts) AS first_seen, max(r.ts) AS last_seen
    FROM request_templates AS rt
    JOIN requests AS r ON r.request_id = rt.request_id
    GROUP BY rt.template_id
)
SELECT s.template_id,
       m.skeleton,
       CASE WHEN m.template_id IS NULL THEN 'upstream' ELSE 'mined' END AS source,
       s.n_requests,
       s.n_accounts,
       s.first_seen,
       s.last_seen,
       coalesce(m.elicits_reasoning, FALSE) AS elicits_reasoning,
       coalesce(m.grades_outputs, FALSE) AS grades_outputs,
       coalesce(m.flags, []::VARCHAR[]) AS flags,
       s.n_accounts > $hub_cap AS is_hub,
       coalesce(m.n_variants, 1) AS n_variants,
       m.scaffold_words
FROM stats AS s
LEFT JOIN tpl_meta AS m ON m.template_id = s.template_id
ORDER BY s.n_requests DESC, s.template_id;
