-- exports/account_nodes: what an export shows about each selected account.
-- inputs: export_accounts, account_universe, run_members, labels, requests
-- params: $run_id, $since, $until
-- Request volume, first/last request, tokens, the three most used user agents
-- and models come from the requests of the account in the window of the run
-- ($since inclusive, $until exclusive; NULL = unbounded).  cluster_id lists
-- the clusters of the run the account is a member of.
WITH in_window AS (
    SELECT r.account_id, r.ts, r.user_agent, r.model, r.prompt_tokens, r.completion_tokens
    FROM requests AS r
    JOIN export_accounts AS a USING (account_id)
    WHERE ($since IS NULL OR r.ts >= $since)
      AND ($until IS NULL OR r.ts < $until)
),
volume AS (
    SELECT account_id,
           count(*) AS n_requests,
           min(ts) AS first_seen,
           max(ts) AS last_seen,
           sum(prompt_tokens) AS prompt_tokens,
           sum(completion_tokens) AS completion_tokens
    FROM in_window
    GROUP BY account_id
),
usage AS (
    SELECT account_id, field, v, count(*) AS n
    FROM (
        UNPIVOT (SELECT account_id, user_agent, model FROM in_window)
        ON user_agent, model
        INTO NAME field VALUE v
    )
    GROUP BY account_id, field, v
),
top_usage AS (
    SELECT account_id,
           (list(v ORDER BY n DESC, v) FILTER (WHERE field = 'user_agent'))[1:3] AS user_agents,
           (list(v ORDER BY n DESC, v) FILTER (WHERE field = 'model'))[1:3] AS models
    FROM usage
    GROUP BY account_id
),
memberships AS (
    SELECT m.account_id, string_agg(m.cluster_id, ', ' ORDER BY m.cluster_id) AS cluster_id
    FROM run_members AS m
    JOIN export_accounts AS a USING (account_id)
    WHERE m.run_id = $run_id
    GROUP BY m.account_id
),
known_labels AS (
    SELECT l.account_id, list(DISTINCT l.label ORDER BY l.label) AS labels
    FROM labels AS l
    JOIN export_accounts AS a USING (account_id)
    GROUP BY l.account_id
),
universe AS (
    SELECT account_id,
           any_value(created_at) AS created_at,
           any_value(org_id) AS org_id,
           any_value(email_domain) AS email_domain,
           any_value(country) AS country,
           any_value(tier) AS tier,
           any_value(status) AS status
    FROM account_universe
    WHERE account_id IN (SELECT account_id FROM export_accounts)
    GROUP BY account_id
)
SELECT
    a.account_id,
    a.hop,
    a.seed,
    ms.cluster_id,
    u.status,
    kl.labels,
    v.n_requests,
    v.first_seen,
    v.last_seen,
    v.prompt_tokens,
    v.completion_tokens,
    tu.models,
    tu.user_agents,
    u.created_at,
    u.org_id,
    u.email_domain,
    u.country,
    u.tier
FROM export_accounts AS a
LEFT JOIN universe AS u USING (account_id)
LEFT JOIN memberships AS ms USING (account_id)
LEFT JOIN known_labels AS kl USING (account_id)
LEFT JOIN volume AS v USING (account_id)
LEFT JOIN top_usage AS tu USING (account_id)
ORDER BY a.account_id;
