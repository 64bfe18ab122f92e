-- scoring/member_requests: every request of a run’s clustered accounts inside the run’s window, with its template and elicitation flags (the base of the feature tables).
-- inputs: cluster_members, graph_requests, templates
-- params: none
-- graph_requests holds the requests of the run's window (graphlink.graph).
-- A request elicits reasoning (grades outputs) when its template is flagged
-- so, or when its own prompt contains one of the configured phrases
-- (request_flags, written by the template stage: the phrases catch varied
-- prompts that mining did not group into a template).  The prompt text is
-- not read here.  cid and mid are the cluster's and the member's numbers
-- (scoring/cluster_members).
CREATE OR REPLACE TEMP TABLE member_requests AS
SELECT
    m.cid,
    m.mid,
    r.account_id,
    r.ts,
    r.ip_version,
    r.ip_num,
    r.ip_prefix,
    r.device AS device_fingerprint,
    r.model,
    r.prompt_tokens,
    r.completion_tokens,
    r.template_id,
    coalesce(t.elicits_reasoning, FALSE) OR r.reasoning_phrase AS reasoning,
    coalesce(t.grades_outputs, FALSE) OR r.grading_phrase AS grading
FROM graph_requests AS r
JOIN cluster_members AS m USING (account_id)
LEFT JOIN templates AS t USING (template_id);
