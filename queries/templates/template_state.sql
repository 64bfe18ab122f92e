-- templates/template_state: record what this mining saw, for ensure_templates.
-- inputs: none
-- params: $requests_fingerprint, $config_fingerprint, $seconds, $stats
INSERT INTO template_state (requests_fingerprint, config_fingerprint, mined_at, seconds, stats)
VALUES ($requests_fingerprint, $config_fingerprint, now()::TIMESTAMP, $seconds, $stats::JSON);
