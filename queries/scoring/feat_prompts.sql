-- scoring/feat_prompts: share of templated traffic, template concentration and ownership, reasoning-elicitation and grading prompts, completion/prompt token ratio and capability (model) concentration.
-- inputs: member_requests, graph_requests, templates, accounts
-- params: $top_templates, $own_share, $public_orgs
-- top_template_share: share of ALL the cluster’s requests that use its
-- $top_templates most used templates.
-- A template is public when it is a hub (templates.is_hub) or its users in
-- the run’s window span $public_orgs or more declared organisations (an
-- organisation counts when two or more of the users declare it): public
-- templates and benchmarks are shared by strangers and by independent
-- organisations, a campaign’s scaffold is not.  A template is the cluster’s
-- own when it is not public and members are at least $own_share of the
-- accounts that used it in the window.
-- public_template_share, own_template_share: requests using such templates;
-- own_elicitation_share: requests using own templates that ask for reasoning
-- or grading; elicitation_share: requests asking for reasoning or grading
-- outside public templates (running a public benchmark is what labs and
-- students do).
-- token_ratio: completion tokens over prompt tokens, over requests where both
-- are known.
CREATE OR REPLACE TEMP TABLE feat_prompts AS
WITH member_use AS (
    SELECT cid, template_id, count(DISTINCT mid) AS k
    FROM member_requests
    WHERE template_id IS NOT NULL
    GROUP BY cid, template_id
),
template_accounts AS (   -- graph_requests: the requests of the run's window
    SELECT DISTINCT template_id, account_id
    FROM graph_requests
    WHERE template_id IN (SELECT template_id FROM member_use)
),
template_orgs AS (
    SELECT t.template_id, a.org_id
    FROM template_accounts AS t
    JOIN accounts AS a USING (account_id)
    WHERE a.org_id IS NOT NULL
    GROUP BY t.template_id, a.org_id
    HAVING count(*) >= 2
),
template_users AS (
    SELECT a.template_id, a.k,
           coalesce(o.n_orgs, 0) >= $public_orgs OR coalesce(t.is_hub, FALSE) AS is_public
    FROM (SELECT template_id, count(*) AS k FROM template_accounts GROUP BY template_id) AS a
    LEFT JOIN (SELECT template_id, count(*) AS n_orgs FROM template_orgs GROUP BY template_id) AS o
           USING (template_id)
    LEFT JOIN templates AS t USING (template_id)
),
own AS (
    SELECT m.cid, m.template_id
    FROM member_use AS m
    JOIN template_users AS u USING (template_id)
    WHERE m.k >= $own_share * u.k AND NOT u.is_public
),
public AS (
    SELECT template_id FROM template_users WHERE is_public
),
public_use AS (
    SELECT r.cid,
           count(*) AS n_public,
           count(*) FILTER (WHERE r.reasoning OR r.grading) AS n_public_eliciting
    FROM member_requests AS r
    JOIN public USING (template_id)
    GROUP BY r.cid
),
owned AS (
    SELECT r.cid,
           count(*) AS n_own,
           count(*) FILTER (WHERE r.reasoning OR r.grading) AS n_own_eliciting,
           count(DISTINCT r.template_id) AS n_own_templates
    FROM member_requests AS r
    JOIN own USING (cid, template_id)
    GROUP BY r.cid
),
base AS (
    SELECT cid,
           count(*) AS n,
           count(template_id) AS n_templated,
           count(*) FILTER (WHERE reasoning) AS n_reasoning,
           count(*) FILTER (WHERE grading) AS n_grading,
           count(*) FILTER (WHERE reasoning OR grading) AS n_eliciting,
           sum(completion_tokens) FILTER (WHERE prompt_tokens IS NOT NULL) AS ct,
           sum(prompt_tokens) FILTER (WHERE completion_tokens IS NOT NULL) AS pt
    FROM member_requests
    GROUP BY cid
),
per_template AS (
    SELECT cid, template_id, count(*) AS n,
           row_number() OVER (PARTITION BY cid ORDER BY count(*) DESC, template_id) AS rk
    FROM member_requests
    WHERE template_id IS NOT NULL
    GROUP BY cid, template_id
),
templates_agg AS (
    SELECT cid,
           count(*) AS n_templates,
           count(*) FILTER (WHERE rk <= $top_templates) AS n_top,
           sum(n) FILTER (WHERE rk <= $top_templates) AS n_in_top
    FROM per_template
    GROUP BY cid
),
per_model AS (
    SELECT cid, model, count(*) AS n,
           row_number() OVER (PARTITION BY cid ORDER BY count(*) DESC, model) AS rk
    FROM member_requests
    WHERE model IS NOT NULL
    GROUP BY cid, model
)
SELECT
    b.cid,
    b.n_templated / b.n AS templated_share,
    coalesce(t.n_templates, 0) AS n_templates,
    coalesce(t.n_top, 0) AS n_top_templates,
    coalesce(t.n_in_top, 0) / b.n AS top_template_share,
    coalesce(o.n_own_templates, 0) AS n_own_templates,
    coalesce(o.n_own, 0) / b.n AS own_template_share,
    coalesce(o.n_own_eliciting, 0) / b.n AS own_elicitation_share,
    b.n_reasoning / b.n AS reasoning_share,
    b.n_grading / b.n AS grading_share,
    coalesce(pu.n_public, 0) / b.n AS public_template_share,
    (b.n_eliciting - coalesce(pu.n_public_eliciting, 0)) / b.n AS elicitation_share,
    CASE WHEN b.pt > 0 THEN b.ct / b.pt END AS token_ratio,
    m.model AS top_model,
    m.n / b.n AS top_model_share
FROM base AS b
LEFT JOIN templates_agg AS t USING (cid)
LEFT JOIN owned AS o USING (cid)
LEFT JOIN public_use AS pu USING (cid)
LEFT JOIN (SELECT cid, model, n FROM per_model WHERE rk = 1) AS m USING (cid)
