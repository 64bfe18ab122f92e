-- ingest/accounts_checked: _ingest_checked for accounts: typed values, the first rule each row breaks, the row's key and a hash of its values.
-- inputs: _ingest_stage
-- params: none
-- Rules, first broken wins: malformed_row, missing_required (account_id,
-- created_at), card_number (a card-like number in account_id: masking would
-- merge ids), bad_timestamp.  Card-like numbers in other columns are masked.
-- Text is trimmed; an empty value is missing.  email_domain is lower-cased
-- and, when a whole address was given, cut to the part after the @.
-- created_at comes as text, or (Parquet) already typed in _v_created_at.
-- A view: each pass over the file computes only the columns it reads.
CREATE OR REPLACE TEMP VIEW _ingest_checked AS
WITH given AS (
    SELECT _gl_row, _gl_file, _gl_error, _gl_text,
           text_in(account_id) AS account_id,
           text_in(created_at) AS created_at, _v_created_at,
           text_in(org_id) AS org_id,
           text_in(email_domain) AS email_domain,
           text_in(country) AS country,
           text_in(tier) AS tier,
           text_in(status) AS status,
           _gl_extra
    FROM _ingest_stage
),
masked AS (
    SELECT *,
           coalesce(_v_created_at, parse_ts(created_at)) AS v_created_at,
           card_scrub(account_id) AS m_account_id,
           card_scrub(org_id) AS m_org_id,
           card_scrub(email_domain) AS m_email_domain,
           card_scrub(country) AS m_country,
           card_scrub(tier) AS m_tier,
           card_scrub(status) AS m_status,
           card_scrub(_gl_extra) AS m_extra
    FROM given
),
ruled AS (
    SELECT *,
           CASE WHEN v_created_at IS NULL THEN card_scrub(created_at)
                ELSE coalesce(created_at, _v_created_at::VARCHAR) END AS m_created_at,
           CASE
               WHEN _gl_error IS NOT NULL THEN ['malformed_row', _gl_error]
               WHEN account_id IS NULL THEN ['missing_required', 'account_id']
               WHEN created_at IS NULL AND _v_created_at IS NULL THEN ['missing_required', 'created_at']
               WHEN account_id <> m_account_id THEN ['card_number', 'account_id']
               WHEN v_created_at IS NULL THEN ['bad_timestamp', 'created_at: ' || left(m_created_at, 80)]
           END AS _gl_rule
    FROM masked
),
rows AS (
    SELECT _gl_row, _gl_file,
           (org_id IS DISTINCT FROM m_org_id OR email_domain IS DISTINCT FROM m_email_domain
            OR country IS DISTINCT FROM m_country OR tier IS DISTINCT FROM m_tier
            OR status IS DISTINCT FROM m_status OR _gl_extra IS DISTINCT FROM m_extra) AS _gl_masked,
           _gl_rule[1] AS _gl_reason,
           _gl_rule[2] AS _gl_detail,
           CASE WHEN _gl_rule IS NOT NULL THEN
               CASE WHEN _gl_error IS NOT NULL THEN to_json({'record': card_mask(_gl_text)})
                    ELSE json_merge_patch(to_json({
                        'account_id': m_account_id, 'created_at': m_created_at, 'org_id': m_org_id,
                        'email_domain': m_email_domain, 'country': m_country, 'tier': m_tier,
                        'status': m_status}),
                        coalesce(m_extra, '{}'))
               END
           END AS _gl_raw,
           m_account_id AS account_id,
           v_created_at AS created_at,
           m_org_id AS org_id,
           lower(regexp_replace(m_email_domain, '^.*@', '')) AS email_domain,
           m_country AS country,
           m_tier AS tier,
           m_status AS status,
           m_extra::JSON AS extra
    FROM ruled
)
SELECT *,
       {'account_id': account_id} AS _gl_key,
       hash({'created_at': created_at, 'org_id': org_id, 'email_domain': email_domain,
        'country': country, 'tier': tier, 'status': status}) AS _gl_hash
FROM rows;
