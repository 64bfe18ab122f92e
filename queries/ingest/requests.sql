-- ingest/requests: append the rows of _ingest_load (the plain rows of the files, or the loadable rows kept aside), each with its file and row number, to requests, in the order read.
-- inputs: _ingest_load
-- params: none
INSERT INTO requests
SELECT request_id, account_id, ts, ip, ip_version, ip_num, ip_prefix,
       device_fingerprint, user_agent, api_key_id, model, prompt, prompt_template_id,
       prompt_tokens, completion_tokens, extra, src_file(_gl_file), src_row(_gl_file, _gl_row)
FROM _ingest_load;
