-- templates/requests_fingerprint: a digest of the requests mining reads (it changes when rows are added, removed or replaced), how many prompts there are to mine, and how many requests.
-- inputs: requests
-- params: none
-- Per-column sums of per-row hashes: order-independent, one pass, no sort.
-- The prompt text is not read (it would be most of the cost), only whether
-- there is one: ingest never changes a stored request (a second row with
-- the same id and other content is rejected), so new text comes with a new
-- request id.  prompts: requests with text and no upstream template id;
-- upstream_requests: those with one.  A detection run reads this once for
-- the templates' staleness check and its own manifest (detect/input_fingerprints
-- leaves requests out).
SELECT concat_ws(':',
           count(*),
           coalesce(sum(hash(request_id)::HUGEINT), 0),
           coalesce(sum(hash(account_id)::HUGEINT), 0),
           coalesce(sum(hash(ts)::HUGEINT), 0),
           count(prompt),
           coalesce(sum(hash(prompt_template_id)::HUGEINT), 0)
       ) AS fingerprint,
       count(prompt) FILTER (WHERE prompt_template_id IS NULL) AS prompts,
       count(prompt_template_id) AS upstream_requests,
       count(*) AS n_requests
FROM requests;
