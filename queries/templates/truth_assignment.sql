-- templates/truth_assignment: requests per (ground-truth template, mined template), for scoring template assignment.
-- inputs: requests, request_templates
-- params: none
-- The truth is requests.extra.truth_template (written by the synthetic
-- corpus, graphlink.templates.corpus); NULL for organic prompts and for
-- requests without a template.
SELECT r.extra->>'truth_template' AS truth, rt.template_id, count(*) AS n
FROM requests AS r
LEFT JOIN request_templates AS rt ON rt.request_id = r.request_id
GROUP BY ALL
ORDER BY truth NULLS LAST, rt.template_id NULLS LAST;
