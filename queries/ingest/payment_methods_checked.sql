-- ingest/payment_methods_checked: _ingest_checked for payment_methods: typed values, the first rule each row breaks, and the stored row of the same (account_id, payment_fingerprint).
-- inputs: _ingest_stage, payment_methods
-- params: none
-- Rules, first broken wins: malformed_row, missing_required (account_id,
-- payment_fingerprint), card_number (a card-like number in account_id or
-- payment_fingerprint, which the contract says is never a raw card number),
-- bad_timestamp (added_at, when given).  A card_bin holding a whole card
-- number keeps its first six digits; card-like numbers in other columns are
-- masked.  Text is trimmed; an empty value is missing.
CREATE OR REPLACE TEMP TABLE _ingest_checked AS
WITH given AS (
    SELECT _gl_row, _gl_error, _gl_text,
           nullif(trim(account_id), '') AS account_id,
           nullif(trim(payment_fingerprint), '') AS payment_fingerprint,
           nullif(trim(method_type), '') AS method_type,
           nullif(trim(card_bin), '') AS card_bin,
           nullif(trim(billing_country), '') AS billing_country,
           nullif(trim(added_at), '') AS added_at,
           _gl_extra
    FROM _ingest_stage
),
masked AS (
    SELECT _gl_row, _gl_error, _gl_text, account_id, payment_fingerprint, added_at,
           parse_ts(added_at) AS v_added_at,
           card_like(concat_ws(chr(31), account_id, payment_fingerprint, method_type, card_bin,
                               billing_country, added_at, _gl_extra)) AS _gl_cards,
           CASE WHEN _gl_cards THEN card_mask(account_id) ELSE account_id END AS m_account_id,
           CASE WHEN _gl_cards THEN card_mask(payment_fingerprint) ELSE payment_fingerprint END AS m_payment_fingerprint,
           CASE WHEN _gl_cards THEN card_mask(method_type) ELSE method_type END AS m_method_type,
           CASE WHEN _gl_cards AND len(card_numbers(card_bin)) > 0
                THEN left(regexp_replace(card_bin, '[^0-9]', '', 'g'), 6) ELSE card_bin END AS m_card_bin,
           CASE WHEN _gl_cards THEN card_mask(billing_country) ELSE billing_country END AS m_billing_country,
           CASE WHEN _gl_cards AND v_added_at IS NULL THEN card_mask(added_at) ELSE added_at END AS m_added_at,
           CASE WHEN _gl_cards THEN card_mask(_gl_extra) ELSE _gl_extra END AS m_extra,
           _gl_cards AND (method_type IS DISTINCT FROM m_method_type OR card_bin IS DISTINCT FROM m_card_bin
                          OR billing_country IS DISTINCT FROM m_billing_country
                          OR _gl_extra IS DISTINCT FROM m_extra) AS _gl_masked
    FROM given
),
ruled AS (
    SELECT *,
           CASE
               WHEN _gl_error IS NOT NULL THEN ['malformed_row', _gl_error]
               WHEN account_id IS NULL THEN ['missing_required', 'account_id']
               WHEN payment_fingerprint IS NULL THEN ['missing_required', 'payment_fingerprint']
               WHEN account_id <> m_account_id THEN ['card_number', 'account_id']
               WHEN payment_fingerprint <> m_payment_fingerprint THEN ['card_number', 'payment_fingerprint']
               WHEN added_at IS NOT NULL AND v_added_at IS NULL
                   THEN ['bad_timestamp', 'added_at: ' || left(m_added_at, 80)]
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
                        'account_id': m_account_id, 'payment_fingerprint': m_payment_fingerprint,
                        'method_type': m_method_type, 'card_bin': m_card_bin,
                        'billing_country': m_billing_country, 'added_at': m_added_at}),
                        coalesce(m_extra, '{}'))
               END
           END AS _gl_raw,
           m_account_id AS account_id,
           m_payment_fingerprint AS payment_fingerprint,
           m_method_type AS method_type,
           m_card_bin AS card_bin,
           m_billing_country AS billing_country,
           v_added_at AS added_at,
           m_extra::JSON AS extra
    FROM ruled
)
SELECT r.*,
       {'account_id': r.account_id, 'payment_fingerprint': r.payment_fingerprint} AS _gl_key,
       hash({'method_type': r.method_type, 'card_bin': r.card_bin, 'billing_country': r.billing_country,
        'added_at': r.added_at}) AS _gl_hash,
       CASE WHEN s.account_id IS NOT NULL THEN hash({'method_type': s.method_type, 'card_bin': s.card_bin, 'billing_country': s.billing_country,
            'added_at': s.added_at}) END AS _gl_stored_hash,
       s.source_file AS _gl_stored_file,
       s.source_row AS _gl_stored_row
FROM rows AS r
LEFT JOIN payment_methods AS s
    ON s.account_id = r.account_id AND s.payment_fingerprint = r.payment_fingerprint AND r._gl_reason IS NULL;
