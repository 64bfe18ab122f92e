-- ingest/labels_checked: _ingest_checked for labels: typed values, the first rule each row breaks, the row's key and a hash of its values.
-- inputs: _ingest_stage
-- params: none
-- A label is identified by (account_id, source): one verdict per account per
-- source; a different label from the same source is a conflicting_duplicate.
-- Rules, first broken wins: malformed_row, missing_required (account_id,
-- label), card_number (a card-like number in account_id), bad_timestamp
-- (labeled_at, when given).  Card-like numbers in other columns are masked.
-- Text is trimmed; an empty value is missing.
-- labeled_at comes as text, or (Parquet) already typed in _v_labeled_at.
-- A view: each pass over the file computes only the columns it reads.
CREATE OR REPLACE TEMP VIEW _ingest_checked AS
WITH given AS (
    SELECT _gl_row, _gl_file, _gl_error, _gl_text,
           text_in(account_id) AS account_id,
           text_in(label) AS label,
           text_in(campaign_id) AS campaign_id,
           text_in(source) AS source,
           text_in(labeled_at) AS labeled_at, _v_labeled_at,
           _gl_extra
    FROM _ingest_stage
),
masked AS (
    SELECT *,
           coalesce(_v_labeled_at, parse_ts(labeled_at)) AS v_labeled_at,
           card_scrub(account_id) AS m_account_id,
           card_scrub(label) AS m_label,
           card_scrub(campaign_id) AS m_campaign_id,
           card_scrub(source) AS m_source,
           card_scrub(_gl_extra) AS m_extra
    FROM given
),
ruled AS (
    SELECT *,
           CASE WHEN v_labeled_at IS NULL THEN card_scrub(labeled_at)
                ELSE coalesce(labeled_at, _v_labeled_at::VARCHAR) END AS m_labeled_at,
           CASE
               WHEN _gl_error IS NOT NULL THEN ['malformed_row', _gl_error]
               WHEN account_id IS NULL THEN ['missing_required', 'account_id']
               WHEN label IS NULL THEN ['missing_required', 'label']
               WHEN account_id <> m_account_id THEN ['card_number', 'account_id']
               WHEN labeled_at IS NOT NULL AND v_labeled_at IS NULL
                   THEN ['bad_timestamp', 'labeled_at: ' || left(m_labeled_at, 80)]
           END AS _gl_rule
    FROM masked
),
rows AS (
    SELECT _gl_row, _gl_file,
           (label IS DISTINCT FROM m_label OR campaign_id IS DISTINCT FROM m_campaign_id
            OR source IS DISTINCT FROM m_source OR _gl_extra IS DISTINCT FROM m_extra) AS _gl_masked,
           _gl_rule[1] AS _gl_reason,
           _gl_rule[2] AS _gl_detail,
           CASE WHEN _gl_rule IS NOT NULL THEN
               CASE WHEN _gl_error IS NOT NULL THEN to_json({'record': card_mask(_gl_text)})
                    ELSE json_merge_patch(to_json({
                        'account_id': m_account_id, 'label': m_label, 'campaign_id': m_campaign_id,
                        'source': m_source, 'labeled_at': m_labeled_at}),
                        coalesce(m_extra, '{}'))
               END
           END AS _gl_raw,
           m_account_id AS account_id,
           m_label AS label,
           m_campaign_id AS campaign_id,
           m_source AS source,
           v_labeled_at AS labeled_at,
           m_extra::JSON AS extra
    FROM ruled
)
SELECT *,
       {'account_id': account_id, 'source': source} AS _gl_key,
       hash({'label': label, 'campaign_id': campaign_id, 'labeled_at': labeled_at}) AS _gl_hash
FROM rows;
