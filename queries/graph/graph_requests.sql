-- graph/graph_requests: the requests of the time window with what the graph and the scores read of each: identifiers, template and elicitation phrase flags.
-- inputs: requests, request_templates, request_flags
-- params: $since, $until
-- Read once per run: the graph's edges and time buckets and the scores'
-- member requests all come from this table, so the joins on request_id are
-- made once.  A NULL bound means an open end.  Empty strings are missing
-- values.  template is the mined template of the request, else the
-- prompt_template_id given upstream (the graph's identifier);
-- template_id is the mined one alone (what the scores count).
CREATE OR REPLACE TEMP TABLE graph_requests AS
SELECT
    r.account_id,
    r.ts,
    r.ip,
    r.ip_prefix,
    r.ip_version,
    r.ip_num,
    nullif(trim(r.device_fingerprint), '') AS device,
    nullif(trim(r.api_key_id), '') AS api_key,
    t.template_id,
    coalesce(nullif(trim(t.template_id), ''), nullif(trim(r.prompt_template_id), '')) AS template,
    coalesce(f.reasoning, FALSE) AS reasoning_phrase,
    coalesce(f.grading, FALSE) AS grading_phrase,
    r.model,
    r.prompt_tokens,
    r.completion_tokens
FROM requests AS r
LEFT JOIN request_templates AS t ON t.request_id = r.request_id
LEFT JOIN request_flags AS f ON f.request_id = r.request_id
WHERE ($since IS NULL OR r.ts >= $since)
  AND ($until IS NULL OR r.ts < $until);
