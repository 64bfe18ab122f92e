-- ingest/requests_checked: _ingest_checked for requests: typed values, the first rule each row breaks, and the stored row of the same request_id.
-- inputs: _ingest_stage, requests
-- params: none
-- Rules, first broken wins: malformed_row, missing_required (request_id,
-- account_id, ts, ip), card_number (a card-like number in request_id or
-- account_id: masking would merge ids), bad_timestamp, bad_ip, bad_integer,
-- negative_tokens.  Card-like numbers in every other column are masked.
-- Text is trimmed (prompt and user_agent are kept as given); an empty value is missing.
CREATE OR REPLACE TEMP TABLE _ingest_checked AS
WITH given AS (
    SELECT _gl_row, _gl_error, _gl_text,
           nullif(trim(request_id), '') AS request_id,
           nullif(trim(account_id), '') AS account_id,
           nullif(trim(ts), '') AS ts,
           nullif(trim(ip), '') AS ip,
           nullif(trim(device_fingerprint), '') AS device_fingerprint,
           nullif(user_agent, '') AS user_agent,
           nullif(trim(api_key_id), '') AS api_key_id,
           nullif(trim(model), '') AS model,
           nullif(prompt, '') AS prompt,
           nullif(trim(prompt_template_id), '') AS prompt_template_id,
           nullif(trim(prompt_tokens), '') AS prompt_tokens,
           nullif(trim(completion_tokens), '') AS completion_tokens,
           _gl_extra
    FROM _ingest_stage
),
masked AS (
    -- one cheap test per row first: most rows hold no 13-digit run at all
    SELECT _gl_row, _gl_error, _gl_text, request_id, account_id, ts, ip, prompt_tokens, completion_tokens,
           parse_ts(ts) AS v_ts,
           ip_parse(ip) AS v_ip,
           card_like(concat_ws(chr(31), request_id, account_id, ts, ip, device_fingerprint, user_agent,
                               api_key_id, model, prompt, prompt_template_id, prompt_tokens,
                               completion_tokens, _gl_extra)) AS _gl_cards,
           CASE WHEN _gl_cards THEN card_mask(request_id) ELSE request_id END AS m_request_id,
           CASE WHEN _gl_cards THEN card_mask(account_id) ELSE account_id END AS m_account_id,
           CASE WHEN _gl_cards THEN card_mask(ip) ELSE ip END AS m_ip,
           CASE WHEN _gl_cards THEN card_mask(device_fingerprint) ELSE device_fingerprint END AS m_device_fingerprint,
           CASE WHEN _gl_cards THEN card_mask(user_agent) ELSE user_agent END AS m_user_agent,
           CASE WHEN _gl_cards THEN card_mask(api_key_id) ELSE api_key_id END AS m_api_key_id,
           CASE WHEN _gl_cards THEN card_mask(model) ELSE model END AS m_model,
           CASE WHEN _gl_cards THEN card_mask(prompt) ELSE prompt END AS m_prompt,
           CASE WHEN _gl_cards THEN card_mask(prompt_template_id) ELSE prompt_template_id END AS m_prompt_template_id,
           CASE WHEN _gl_cards THEN card_mask(prompt_tokens) ELSE prompt_tokens END AS m_prompt_tokens,
           CASE WHEN _gl_cards THEN card_mask(completion_tokens) ELSE completion_tokens END AS m_completion_tokens,
           CASE WHEN _gl_cards THEN card_mask(_gl_extra) ELSE _gl_extra END AS m_extra,
           _gl_cards AND (device_fingerprint IS DISTINCT FROM m_device_fingerprint
                          OR user_agent IS DISTINCT FROM m_user_agent
                          OR api_key_id IS DISTINCT FROM m_api_key_id OR model IS DISTINCT FROM m_model
                          OR prompt IS DISTINCT FROM m_prompt
                          OR prompt_template_id IS DISTINCT FROM m_prompt_template_id
                          OR _gl_extra IS DISTINCT FROM m_extra) AS _gl_masked
    FROM given
),
typed AS (
    SELECT *,
           parse_int(m_prompt_tokens) AS v_prompt_tokens,
           parse_int(m_completion_tokens) AS v_completion_tokens,
           CASE WHEN v_ts IS NULL AND _gl_cards THEN card_mask(ts) ELSE ts END AS m_ts
    FROM masked
),
ruled AS (
    SELECT *,
           CASE
               WHEN _gl_error IS NOT NULL THEN ['malformed_row', _gl_error]
               WHEN request_id IS NULL THEN ['missing_required', 'request_id']
               WHEN account_id IS NULL THEN ['missing_required', 'account_id']
               WHEN ts IS NULL THEN ['missing_required', 'ts']
               WHEN ip IS NULL THEN ['missing_required', 'ip']
               WHEN request_id <> m_request_id THEN ['card_number', 'request_id']
               WHEN account_id <> m_account_id THEN ['card_number', 'account_id']
               WHEN v_ts IS NULL THEN ['bad_timestamp', 'ts: ' || left(m_ts, 80)]
               WHEN v_ip IS NULL THEN ['bad_ip', 'ip: ' || left(m_ip, 80)]
               WHEN m_prompt_tokens IS NOT NULL AND v_prompt_tokens IS NULL
                   THEN ['bad_integer', 'prompt_tokens: ' || left(m_prompt_tokens, 80)]
               WHEN m_completion_tokens IS NOT NULL AND v_completion_tokens IS NULL
                   THEN ['bad_integer', 'completion_tokens: ' || left(m_completion_tokens, 80)]
               WHEN v_prompt_tokens < 0 THEN ['negative_tokens', 'prompt_tokens: ' || v_prompt_tokens]
               WHEN v_completion_tokens < 0 THEN ['negative_tokens', 'completion_tokens: ' || v_completion_tokens]
           END AS _gl_rule
    FROM typed
),
rows AS (
    SELECT _gl_row, _gl_masked,
           _gl_rule[1] AS _gl_reason,
           _gl_rule[2] AS _gl_detail,
           CASE WHEN _gl_rule IS NOT NULL THEN
               CASE WHEN _gl_error IS NOT NULL THEN to_json({'record': card_mask(_gl_text)})
                    ELSE json_merge_patch(to_json({
                        'request_id': m_request_id, 'account_id': m_account_id, 'ts': m_ts, 'ip': m_ip,
                        'device_fingerprint': m_device_fingerprint, 'user_agent': m_user_agent,
                        'api_key_id': m_api_key_id, 'model': m_model, 'prompt': m_prompt,
                        'prompt_template_id': m_prompt_template_id,
                        'prompt_tokens': m_prompt_tokens, 'completion_tokens': m_completion_tokens}),
                        coalesce(m_extra, '{}'))
               END
           END AS _gl_raw,
           m_request_id AS request_id,
           m_account_id AS account_id,
           v_ts AS ts,
           v_ip.version::TINYINT AS ip_version,
           v_ip.num AS ip_num,
           -- a valid dotted quad is already in normal form (no leading zeros)
           CASE WHEN v_ip.version = 4 AND NOT contains(ip, ':') THEN ip
                ELSE ip_text(v_ip.version, v_ip.num) END AS ip,
           CASE WHEN v_ip.version = 4 AND NOT contains(ip, ':')
                THEN left(ip, length(ip) - strpos(reverse(ip), '.') + 1) || '0/24'
                ELSE ip_prefix(v_ip.version, v_ip.num) END AS ip_prefix,
           m_device_fingerprint AS device_fingerprint,
           m_user_agent AS user_agent,
           m_api_key_id AS api_key_id,
           m_model AS model,
           m_prompt AS prompt,
           m_prompt_template_id AS prompt_template_id,
           v_prompt_tokens AS prompt_tokens,
           v_completion_tokens AS completion_tokens,
           m_extra::JSON AS extra
    FROM ruled
)
SELECT r.*,
       {'request_id': r.request_id} AS _gl_key,
       hash({'account_id': r.account_id, 'ts': r.ts, 'ip': r.ip,
        'device_fingerprint': r.device_fingerprint, 'user_agent': r.user_agent,
        'api_key_id': r.api_key_id, 'model': r.model, 'prompt': r.prompt,
        'prompt_template_id': r.prompt_template_id,
        'prompt_tokens': r.prompt_tokens, 'completion_tokens': r.completion_tokens}) AS _gl_hash,
       CASE WHEN s.request_id IS NOT NULL THEN hash({'account_id': s.account_id, 'ts': s.ts, 'ip': s.ip,
            'device_fingerprint': s.device_fingerprint, 'user_agent': s.user_agent,
            'api_key_id': s.api_key_id, 'model': s.model, 'prompt': s.prompt,
            'prompt_template_id': s.prompt_template_id,
            'prompt_tokens': s.prompt_tokens, 'completion_tokens': s.completion_tokens}) END AS _gl_stored_hash,
       s.source_file AS _gl_stored_file,
       s.source_row AS _gl_stored_row
FROM rows AS r
LEFT JOIN requests AS s ON s.request_id = r.request_id AND r._gl_reason IS NULL;
