-- ingest/requests_checked: _ingest_checked for requests: typed values, the first rule each row breaks, the row's key and a hash of its values.
-- inputs: _ingest_stage
-- params: none
-- Rules, first broken wins: malformed_row, missing_required (request_id,
-- account_id, ts, ip), card_number (a card-like number in request_id or
-- account_id: masking would merge ids), bad_timestamp, bad_ip, bad_integer,
-- negative_tokens.  Card-like numbers in every other column are masked.
-- Text is trimmed (prompt and user_agent are kept as given); an empty value is missing.
-- ts and the token counts come as text, or (Parquet) already typed in _v_<column>.
-- A view: each pass over the file computes only the columns it reads.
CREATE OR REPLACE TEMP VIEW _ingest_checked AS
WITH given AS (
    SELECT _gl_row, _gl_file, _gl_error, _gl_text,
           text_in(request_id) AS request_id,
           text_in(account_id) AS account_id,
           text_in(ts) AS ts, _v_ts,
           text_in(ip) AS ip,
           text_in(device_fingerprint) AS device_fingerprint,
           nullif(user_agent, '') AS user_agent,
           text_in(api_key_id) AS api_key_id,
           text_in(model) AS model,
           nullif(prompt, '') AS prompt,
           text_in(prompt_template_id) AS prompt_template_id,
           text_in(prompt_tokens) AS prompt_tokens, _v_prompt_tokens,
           text_in(completion_tokens) AS completion_tokens, _v_completion_tokens,
           _gl_extra
    FROM _ingest_stage
),
masked AS (
    SELECT *,
           coalesce(_v_ts, parse_ts(ts)) AS v_ts,
           ip_parse(ip) AS v_ip,
           card_scrub(request_id) AS m_request_id,
           card_scrub(account_id) AS m_account_id,
           card_scrub(device_fingerprint) AS m_device_fingerprint,
           card_scrub(user_agent) AS m_user_agent,
           card_scrub(api_key_id) AS m_api_key_id,
           card_scrub(model) AS m_model,
           card_scrub(prompt) AS m_prompt,
           card_scrub(prompt_template_id) AS m_prompt_template_id,
           card_scrub(prompt_tokens) AS m_prompt_tokens,
           card_scrub(completion_tokens) AS m_completion_tokens,
           card_scrub(_gl_extra) AS m_extra
    FROM given
),
typed AS (
    SELECT *,
           coalesce(_v_prompt_tokens, parse_int(m_prompt_tokens)) AS v_prompt_tokens,
           coalesce(_v_completion_tokens, parse_int(m_completion_tokens)) AS v_completion_tokens
    FROM masked
),
ruled AS (
    SELECT *,
           CASE
               WHEN _gl_error IS NOT NULL THEN ['malformed_row', _gl_error]
               WHEN request_id IS NULL THEN ['missing_required', 'request_id']
               WHEN account_id IS NULL THEN ['missing_required', 'account_id']
               WHEN ts IS NULL AND _v_ts IS NULL THEN ['missing_required', 'ts']
               WHEN ip IS NULL THEN ['missing_required', 'ip']
               WHEN request_id <> m_request_id THEN ['card_number', 'request_id']
               WHEN account_id <> m_account_id THEN ['card_number', 'account_id']
               WHEN v_ts IS NULL THEN ['bad_timestamp', 'ts: ' || left(card_scrub(ts), 80)]
               WHEN v_ip IS NULL THEN ['bad_ip', 'ip: ' || left(card_scrub(ip), 80)]
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
    SELECT _gl_row, _gl_file,
           (device_fingerprint IS DISTINCT FROM m_device_fingerprint OR user_agent IS DISTINCT FROM m_user_agent
            OR api_key_id IS DISTINCT FROM m_api_key_id OR model IS DISTINCT FROM m_model
            OR prompt IS DISTINCT FROM m_prompt OR prompt_template_id IS DISTINCT FROM m_prompt_template_id
            OR _gl_extra IS DISTINCT FROM m_extra) AS _gl_masked,
           _gl_rule[1] AS _gl_reason,
           _gl_rule[2] AS _gl_detail,
           CASE WHEN _gl_rule IS NOT NULL THEN
               CASE WHEN _gl_error IS NOT NULL THEN to_json({'record': card_mask(_gl_text)})
                    ELSE json_merge_patch(to_json({
                        'request_id': m_request_id, 'account_id': m_account_id,
                        'ts': CASE WHEN v_ts IS NULL THEN card_scrub(ts) ELSE coalesce(ts, _v_ts::VARCHAR) END,
                        'ip': card_scrub(ip),
                        'device_fingerprint': m_device_fingerprint, 'user_agent': m_user_agent,
                        'api_key_id': m_api_key_id, 'model': m_model, 'prompt': m_prompt,
                        'prompt_template_id': m_prompt_template_id,
                        'prompt_tokens': coalesce(m_prompt_tokens, _v_prompt_tokens::VARCHAR),
                        'completion_tokens': coalesce(m_completion_tokens, _v_completion_tokens::VARCHAR)}),
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
SELECT *,
       {'request_id': request_id} AS _gl_key,
       hash({'account_id': account_id, 'ts': ts, 'ip': ip,
        'device_fingerprint': device_fingerprint, 'user_agent': user_agent,
        'api_key_id': api_key_id, 'model': model, 'prompt': prompt,
        'prompt_template_id': prompt_template_id,
        'prompt_tokens': prompt_tokens, 'completion_tokens': completion_tokens}) AS _gl_hash
FROM rows;
