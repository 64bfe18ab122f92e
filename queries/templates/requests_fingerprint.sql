-- templates/requests_fingerprint: a digest of everything in requests that mining reads; it changes when any such value does.
-- inputs: requests
-- params: none
-- Per-column sums of per-row hashes: order-independent, one pass, no sort.
SELECT concat_ws(':',
           count(*),
           coalesce(sum(hash(request_id)::HUGEINT), 0),
           coalesce(sum(hash(account_id)::HUGEINT), 0),
           coalesce(sum(hash(ts)::HUGEINT), 0),
           coalesce(sum(hash(prompt)::HUGEINT), 0),
           coalesce(sum(hash(prompt_template_id)::HUGEINT), 0)
       ) AS fingerprint
FROM requests;
