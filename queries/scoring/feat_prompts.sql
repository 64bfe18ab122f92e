-- scoring/feat_prompts: share of templated traffic, template concentration, reasoning-elicitation and grading prompts, completion/prompt token ratio and capability (model) concentration.
-- inputs: member_requests
-- params: $top_templates
-- top_template_share: share of ALL the cluster's requests that use its
-- $top_templates most used templates.  token_ratio: completion tokens over
-- prompt tokens, over requests where both are known.
CREATE OR REPLACE TEMP TABLE feat_prompts AS
WITH base AS (
    SELECT cluster_id,
           count(*) AS n,
           count(template_id) AS n_templated,
           count(*) FILTER (WHERE reasoning) AS n_reasoning,
           count(*) FILTER (WHERE grading) AS n_grading,
           sum(completion_tokens) FILTER (WHERE prompt_tokens IS NOT NULL) AS ct,
           sum(prompt_tokens) FILTER (WHERE completion_tokens IS NOT NULL) AS pt
    FROM member_requests
    GROUP BY cluster_id
),
per_template AS (
    SELECT cluster_id, template_id, count(*) AS n,
           row_number() OVER (PARTITION BY cluster_id ORDER BY count(*) DESC, template_id) AS rk
    FROM member_requests
    WHERE template_id IS NOT NULL
    GROUP BY cluster_id, template_id
),
templates_agg AS (
    SELECT cluster_id,
           count(*) AS n_templates,
           count(*) FILTER (WHERE rk <= $top_templates) AS n_top,
           sum(n) FILTER (WHERE rk <= $top_templates) AS n_in_top
    FROM per_template
    GROUP BY cluster_id
),
per_model AS (
    SELECT cluster_id, model, count(*) AS n,
           row_number() OVER (PARTITION BY cluster_id ORDER BY count(*) DESC, model) AS rk
    FROM member_requests
    WHERE model IS NOT NULL
    GROUP BY cluster_id, model
)
SELECT
    b.cluster_id,
    b.n_templated / b.n AS templated_share,
    coalesce(t.n_templates, 0) AS n_templates,
    coalesce(t.n_top, 0) AS n_top_templates,
    coalesce(t.n_in_top, 0) / b.n AS top_template_share,
    b.n_reasoning / b.n AS reasoning_share,
    b.n_grading / b.n AS grading_share,
    CASE WHEN b.pt > 0 THEN b.ct / b.pt END AS token_ratio,
    m.model AS top_model,
    m.n / b.n AS top_model_share
FROM base AS b
LEFT JOIN templates_agg AS t USING (cluster_id)
LEFT JOIN (SELECT cluster_id, model, n FROM per_model WHERE rk = 1) AS m USING (cluster_id)
