-- scoring/member_requests: every request of a run’s clustered accounts inside the run’s window, with its template and elicitation flags (the base of the feature tables).
-- inputs: runs, cluster_members, requests, request_templates, templates, request_flags
-- params: $run_id
-- A request elicits reasoning (grades outputs) when its template is flagged
-- so, or when its own prompt contains one of the configured phrases
-- (request_flags, written by the template stage: the phrases catch varied
-- prompts that mining did not group into a template).  The prompt text is
-- not read here.
CREATE OR REPLACE TEMP TABLE member_requests AS
WITH win AS (
    SELECT since, until FROM runs WHERE run_id = $run_id
),
windowed AS (
    SELECT r.account_id, r.request_id, r.ts, r.ip_version, r.ip_num, r.ip_prefix, r.device_fingerprint,
           r.model, r.prompt_tokens, r.completion_tokens
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
    coalesce(t.elicits_reasoning, FALSE) OR coalesce(f.reasoning, FALSE) AS reasoning,
    coalesce(t.grades_outputs, FALSE) OR coalesce(f.grading, FALSE) AS grading
FROM windowed AS r
JOIN cluster_members AS m USING (account_id)
LEFT JOIN request_templates AS rt USING (request_id)
LEFT JOIN templates AS t USING (template_id)
LEFT JOIN request_flags AS f USING (request_id)
