-- ingest/accounts_checked: _ingest_checked for accounts: typed values, the first rule each row breaks, and the stored row of the same account_id.
-- inputs: _ingest_stage, accounts
-- params: none
-- Rules, first broken wins: malformed_row, missing_required (account_id,
-- created_at), card_number (a card-like number in account_id: masking would
-- merge ids), bad_timestamp.  Card-like numbers in other columns are masked.
-- Text is trimmed; an empty value is missing.  email_domain is lower-cased
-- and, when a whole address was given, cut to the part after the @.
CREATE OR REPLACE TEMP TABLE _ingest_checked AS
WITH given AS (
    SELECT _gl_row, _gl_error, _gl_text,
           nullif(trim(account_id), '') AS account_id,
           nullif(trim(created_at), '') AS created_at,
           nullif(trim(org_id), '') AS org_id,
           nullif(trim(email_domain), '') AS email_domain,
           nullif(trim(country), '') AS country,
           nullif(trim(tier), '') AS tier,
           nullif(trim(status), '') AS status,
           _gl_extra
    FROM _ingest_stage
),
masked AS (
    SELECT _gl_row, _gl_error, _gl_text, account_id, created_at,
           parse_ts(created_at) AS v_created_at,
           card_like(concat_ws(chr(31), account_id, created_at, org_id, email_domain, country, tier, status,
                               _gl_extra)) AS _gl_cards,
           CASE WHEN _gl_cards THEN card_mask(account_id) ELSE account_id END AS m_account_id,
           CASE WHEN _gl_cards AND v_created_at IS NULL THEN card_mask(created_at) ELSE created_at END AS m_created_at,
           CASE WHEN _gl_cards THEN card_mask(org_id) ELSE org_id END AS m_org_id,
           CASE WHEN _gl_cards THEN card_mask(email_domain) ELSE email_domain END AS m_email_domain,
           CASE WHEN _gl_cards THEN card_mask(country) ELSE country END AS m_country,
           CASE WHEN _gl_cards THEN card_mask(tier) ELSE tier END AS m_tier,
           CASE WHEN _gl_cards THEN card_mask(status) ELSE status END AS m_status,
           CASE WHEN _gl_cards THEN card_mask(_gl_extra) ELSE _gl_extra END AS m_extra,
           _gl_cards AND (org_id IS DISTINCT FROM m_org_id OR email_domain IS DISTINCT FROM m_email_domain
                          OR country IS DISTINCT FROM m_country OR tier IS DISTINCT FROM m_tier
                          OR status IS DISTINCT FROM m_status OR _gl_extra IS DISTINCT FROM m_extra) AS _gl_masked
    FROM given
),
ruled AS (
    SELECT *,
           CASE
               WHEN _gl_error IS NOT NULL THEN ['malformed_row', _gl_error]
               WHEN account_id IS NULL THEN ['missing_required', 'account_id']
               WHEN created_at IS NULL THEN ['missing_required', 'created_at']
               WHEN account_id <> m_account_id THEN ['card_number', 'account_id']
               WHEN v_created_at IS NULL THEN ['bad_timestamp', 'created_at: ' || left(m_created_at, 80)]
           END AS _gl_rule
    FROM masked
),
rows AS (
    SELECT _gl_row, _gl_masked,
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
SELECT r.*,
       {'account_id': r.account_id} AS _gl_key,
       hash({'created_at': r.created_at, 'org_id': r.org_id, 'email_domain': r.email_domain,
        'country': r.country, 'tier': r.tier, 'status': r.status}) AS _gl_hash,
       CASE WHEN s.account_id IS NOT NULL THEN hash({'created_at': s.created_at, 'org_id': s.org_id, 'email_domain': s.email_domain,
            'country': s.country, 'tier': s.tier, 'status': s.status}) END AS _gl_stored_hash,
       s.source_file AS _gl_stored_file,
       s.source_row AS _gl_stored_row
FROM rows AS r
LEFT JOIN accounts AS s ON s.account_id = r.account_id AND r._gl_reason IS NULL;
