-- ingest/requests: append the loadable requests rows of the file, in file order.
-- inputs: _ingest_checked, _ingest_fates
-- params: $source_file
INSERT INTO requests
SELECT request_id, account_id, ts, ip, ip_version, ip_num, ip_prefix,
       device_fingerprint, user_agent, api_key_id, model, prompt, prompt_template_id,
       prompt_tokens, completion_tokens, extra, $source_file, _gl_row
FROM _ingest_checked
WHERE _gl_reason IS NULL AND _gl_row NOT IN (SELECT _gl_row FROM _ingest_fates)
ORDER BY _gl_row;
