-- scoring/member_requests: every request of a run’s clustered accounts inside the run’s window, with its template and elicitation flags (the base of the feature tables).
-- inputs: runs, cluster_members, requests, request_templates, templates
-- params: $run_id, $reasoning_pattern, $grading_pattern
-- A request elicits reasoning (grades outputs) when its template is flagged
-- so, or when its own prompt matches the pattern (the configured phrases,
-- case-insensitive; NULL for none); the phrases catch varied prompts that
-- mining did not group into a template.
CREATE OR REPLACE TEMP TABLE member_requests AS
WITH win AS (
    SELECT since, until FROM runs WHERE run_id = $run_id
),
windowed AS (
    SELECT r.*
    FROM requests AS r
    CROSS JOIN win
    WHERE r.account_id IN (SELECT account_id FROM cluster_members)
      AND (win.since IS NULL OR r.ts >= win.since)
      AND (win.until IS NULL OR r.ts < win.until)
)
SELECT
    m.cluster_id,
    r.account_id,
    r.request_id,
    r.ts,
    r.ip_version,
    r.ip_num,
    r.ip_prefix,
    r.device_fingerprint,
    r.model,
    r.prompt_tokens,
    r.completion_tokens,
    rt.template_id,
    coalesce(t.elicits_reasoning, FALSE)
        OR coalesce(regexp_matches(r.prompt, $reasoning_pattern), FALSE)
        AS reasoning,
    coalesce(t.grades_outputs, FALSE)
        OR coalesce(regexp_matches(r.prompt, $grading_pattern), FALSE)
        AS grading
FROM windowed AS r
JOIN cluster_members AS m USING (account_id)
LEFT JOIN request_templates AS rt USING (request_id)
LEFT JOIN templates AS t USING (template_id)
