-- ingest/payment_methods_checked: _ingest_checked for payment_methods: typed values, the first rule each row breaks, the row's key and a hash of its values.
-- inputs: _ingest_stage
-- params: none
-- Rules, first broken wins: malformed_row, missing_required (account_id,
-- payment_fingerprint), card_number (a card-like number in account_id or
-- payment_fingerprint, which the contract says is never a raw card number),
-- bad_timestamp (added_at, when given).  A card_bin holding a whole card
-- number keeps its first six digits; card-like numbers in other columns are
-- masked.  Text is trimmed; an empty value is missing.
-- added_at comes as text, or (Parquet) already typed in _v_added_at.
-- A view: each pass over the file computes only the columns it reads.
CREATE OR REPLACE TEMP VIEW _ingest_checked AS
WITH given AS (
    SELECT _gl_row, _gl_file, _gl_error, _gl_text,
           text_in(account_id) AS account_id,
           text_in(payment_fingerprint) AS payment_fingerprint,
           text_in(method_type) AS method_type,
           text_in(card_bin) AS card_bin,
           text_in(billing_country) AS billing_country,
           text_in(added_at) AS added_at, _v_added_at,
           _gl_extra
    FROM _ingest_stage
),
masked AS (
    SELECT *,
           coalesce(_v_added_at, parse_ts(added_at)) AS v_added_at,
           card_scrub(account_id) AS m_account_id,
           card_scrub(payment_fingerprint) AS m_payment_fingerprint,
           card_scrub(method_type) AS m_method_type,
           CASE WHEN card_maybe(card_bin) AND len(card_numbers(card_bin)) > 0
                THEN left(regexp_replace(card_bin, '[^0-9]', '', 'g'), 6) ELSE card_bin END AS m_card_bin,
           card_scrub(billing_country) AS m_billing_country,
           card_scrub(_gl_extra) AS m_extra
    FROM given
),
ruled AS (
    SELECT *,
           CASE WHEN v_added_at IS NULL THEN card_scrub(added_at)
                ELSE coalesce(added_at, _v_added_at::VARCHAR) END AS m_added_at,
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
    SELECT _gl_row, _gl_file,
           (method_type IS DISTINCT FROM m_method_type OR card_bin IS DISTINCT FROM m_card_bin
            OR billing_country IS DISTINCT FROM m_billing_country
            OR _gl_extra IS DISTINCT FROM m_extra) AS _gl_masked,
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
SELECT *,
       {'account_id': account_id, 'payment_fingerprint': payment_fingerprint} AS _gl_key,
       hash({'method_type': method_type, 'card_bin': card_bin, 'billing_country': billing_country,
        'added_at': added_at}) AS _gl_hash
FROM rows;
