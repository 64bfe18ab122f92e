-- ingest/requests_stored: _ingest_stored: the stored requests rows whose request_id the file holds too (key and rowid); _ingest_stored_values: their values' hash and origin.
-- inputs: requests, _ingest_checked
-- params: none
-- The lookup reads the key columns alone, with the file's keys as the build
-- side of the join; the stored values are read only for the rows it finds,
-- and only when a row kept aside asks for them (ingest/dedupe).
CREATE OR REPLACE TEMP TABLE _ingest_stored AS
SELECT {'request_id': s.request_id} AS _gl_key, s.rowid AS _gl_stored_rowid
FROM requests AS s
WHERE s.request_id IN (SELECT _gl_key.request_id FROM _ingest_checked);

CREATE OR REPLACE TEMP VIEW _ingest_stored_values AS
SELECT k._gl_key,
       hash({'account_id': s.account_id, 'ts': s.ts, 'ip': s.ip,
        'device_fingerprint': s.device_fingerprint, 'user_agent': s.user_agent,
        'api_key_id': s.api_key_id, 'model': s.model, 'prompt': s.prompt,
        'prompt_template_id': s.prompt_template_id,
        'prompt_tokens': s.prompt_tokens, 'completion_tokens': s.completion_tokens}) AS _gl_stored_hash,
       s.source_file AS _gl_stored_file,
       s.source_row AS _gl_stored_row
FROM requests AS s
JOIN _ingest_stored AS k ON s.rowid = k._gl_stored_rowid;
