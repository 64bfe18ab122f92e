-- templates/tpl_template_stats: the templates to write, with their spread over every request: mined ones that meet the thresholds, upstream ids.
-- inputs: requests, tpl_rows, tpl_meta
-- params: $min_requests, $min_accounts
-- tpl_meta(t, template_id, ...) is registered by graphlink.templates.  A
-- mined template is kept when the prompts assigned to it (all of them, not
-- the sample) reach min_requests and min_accounts.  An upstream
-- prompt_template_id equal to a mined template's id counts as that
-- template's use; when that template is not kept, its upstream uses alone
-- make an upstream template.
CREATE OR REPLACE TEMP TABLE tpl_template_stats AS
WITH uses AS (
    SELECT prompt_template_id AS template_id, FALSE AS mined, account_id, ts
    FROM requests
    WHERE prompt_template_id IS NOT NULL
    UNION ALL
    SELECT m.template_id, TRUE AS mined, w.account_id, w.ts
    FROM tpl_rows AS w
    JOIN tpl_meta AS m ON m.t = w.t
),
spread AS (
    SELECT template_id,
           count(*) FILTER (WHERE mined) AS mined_requests,
           count(DISTINCT account_id) FILTER (WHERE mined) AS mined_accounts,
           count(*) AS all_requests,
           count(DISTINCT account_id) AS all_accounts,
           min(ts) AS all_first,
           max(ts) AS all_last,
           count(*) FILTER (WHERE NOT mined) AS up_requests,
           count(DISTINCT account_id) FILTER (WHERE NOT mined) AS up_accounts,
           min(ts) FILTER (WHERE NOT mined) AS up_first,
           max(ts) FILTER (WHERE NOT mined) AS up_last
    FROM uses
    GROUP BY template_id
),
judged AS (
    SELECT *, mined_requests >= $min_requests AND mined_accounts >= $min_accounts AS kept
    FROM spread
)
SELECT template_id,
       kept AS mined,
       CASE WHEN kept THEN all_requests ELSE up_requests END AS n_requests,
       CASE WHEN kept THEN all_accounts ELSE up_accounts END AS n_accounts,
       CASE WHEN kept THEN all_first ELSE up_first END AS first_seen,
       CASE WHEN kept THEN all_last ELSE up_last END AS last_seen
FROM judged
WHERE kept OR up_requests > 0;
