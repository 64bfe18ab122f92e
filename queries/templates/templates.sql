-- templates/templates: one row per template: skeleton, spread, hub status and elicitation flags.
-- inputs: tpl_template_stats, tpl_meta
-- params: $hub_cap
-- tpl_meta is registered by graphlink.templates (mined templates only).
INSERT INTO templates
SELECT s.template_id,
       m.skeleton,
       CASE WHEN s.mined THEN 'mined' ELSE 'upstream' END AS source,
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
FROM tpl_template_stats AS s
LEFT JOIN tpl_meta AS m ON m.template_id = s.template_id AND s.mined
ORDER BY s.n_requests DESC, s.template_id;
