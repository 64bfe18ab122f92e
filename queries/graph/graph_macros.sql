-- graph/graph_macros: graph_window(since, until), the requests of a time window with one column per request-level identifier kind.
-- inputs: requests, request_templates
-- params: none
-- A NULL bound means an open end.  The template of a request is its mined
-- template when there is one, else the prompt_template_id given upstream.
-- Empty strings are missing values.  Temporary: lives as long as the connection.
CREATE OR REPLACE TEMP MACRO graph_window(since, until) AS TABLE
SELECT
    r.account_id,
    r.ts,
    r.ip,
    r.ip_prefix,
    nullif(trim(r.device_fingerprint), '') AS device,
    nullif(trim(r.api_key_id), '') AS api_key,
    coalesce(nullif(trim(t.template_id), ''), nullif(trim(r.prompt_template_id), '')) AS template
FROM requests AS r
LEFT JOIN request_templates AS t ON t.request_id = r.request_id
WHERE (since IS NULL OR r.ts >= since)
  AND (until IS NULL OR r.ts < until);
