-- templates/state: what the last mining saw.
-- inputs: template_state
-- params: none
SELECT requests_fingerprint, config_fingerprint, mined_at, seconds, stats
FROM template_state
ORDER BY mined_at DESC
LIMIT 1;
