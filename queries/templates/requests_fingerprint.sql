-- templates/requests_fingerprint: a digest of the requests mining reads (it changes when rows are added, removed or replaced), and how many prompts there are to mine.
-- inputs: requests
-- params: none
-- Per-column sums of per-row hashes: order-independent, one pass, no sort.
-- Prompts count by length: ingest never changes a stored request (a second
-- row with the same id and other content is rejected), and hashing every
-- prompt's text would cost a tenth of the mining.  prompts: requests with
-- text and no upstream template id; upstream_requests: those with one.
SELECT concat_ws(':',
           count(*),
           coalesce(sum(hash(request_id)::HUGEINT), 0),
           coalesce(sum(hash(account_id)::HUGEINT), 0),
           coalesce(sum(hash(ts)::HUGEINT), 0),
           coalesce(sum(length(prompt)), 0),
           coalesce(sum(hash(prompt_template_id)::HUGEINT), 0)
       ) AS fingerprint,
       count(*) FILTER (WHERE prompt IS NOT NULL AND prompt_template_id IS NULL) AS prompts,
       count(*) FILTER (WHERE prompt_template_id IS NOT NULL) AS upstream_requests
FROM requests;
