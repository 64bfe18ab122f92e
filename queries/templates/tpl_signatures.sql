-- templates/tpl_signatures: the distinct scaffold signatures, with how many requests and accounts carry each and one request that does.
-- inputs: tpl_request_signatures
-- params: none
CREATE OR REPLACE TEMP TABLE tpl_signatures AS
SELECT sig, any_value(segs) AS segs, count(*) AS n_requests, count(DISTINCT acc) AS n_accounts,
       min(rid) AS example_rid
FROM tpl_request_signatures
GROUP BY sig;
