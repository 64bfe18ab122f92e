-- ingest/labels_checked: _ingest_checked for labels: typed values, the first rule each row breaks, and the stored label of the same account from the same source.
-- inputs: _ingest_stage, labels
-- params: none
-- A label is identified by (account_id, source): one verdict per account per
-- source; a different label from the same source is a conflicting_duplicate.
-- Rules, first broken wins: malformed_row, missing_required (account_id,
-- label), card_number (a card-like number in account_id), bad_timestamp
-- (labeled_at, when given).  Card-like numbers in other columns are masked.
-- Text is trimmed; an empty value is missing.
CREATE OR REPLACE TEMP TABLE _ingest_checked AS
WITH given AS (
    SELECT _gl_row, _gl_error, _gl_text,
           nullif(trim(account_id), '') AS account_id,
           nullif(trim(label), '') AS label,
           nullif(trim(campaign_id), '') AS campaign_id,
           nullif(trim(source), '') AS source,
           nullif(trim(labeled_at), '') AS labeled_at,
           _gl_extra
    FROM _ingest_stage
),
masked AS (
    SELECT _gl_row, _gl_error, _gl_text, account_id, label, labeled_at,
           parse_ts(labeled_at) AS v_labeled_at,
           card_like(concat_ws(chr(31), account_id, label, campaign_id, source, labeled_at, _gl_extra)) AS _gl_cards,
           CASE WHEN _gl_cards THEN card_mask(account_id) ELSE account_id END AS m_account_id,
           CASE WHEN _gl_cards THEN card_mask(label) ELSE label END AS m_label,
           CASE WHEN _gl_cards THEN card_mask(campaign_id) ELSE campaign_id END AS m_campaign_id,
           CASE WHEN _gl_cards THEN card_mask(source) ELSE source END AS m_source,
           CASE WHEN _gl_cards AND v_labeled_at IS NULL THEN card_mask(labeled_at) ELSE labeled_at END AS m_labeled_at,
           CASE WHEN _gl_cards THEN card_mask(_gl_extra) ELSE _gl_extra END AS m_extra,
           _gl_cards AND (label IS DISTINCT FROM m_label OR campaign_id IS DISTINCT FROM m_campaign_id
                          OR source IS DISTINCT FROM m_source OR _gl_extra IS DISTINCT FROM m_extra) AS _gl_masked
    FROM given
),
ruled AS (
    SELECT *,
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
    SELECT _gl_row, _gl_masked,
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
SELECT r.*,
       {'account_id': r.account_id, 'source': r.source} AS _gl_key,
       hash({'label': r.label, 'campaign_id': r.campaign_id, 'labeled_at': r.labeled_at}) AS _gl_hash,
       CASE WHEN s.account_id IS NOT NULL THEN hash({'label': s.label, 'campaign_id': s.campaign_id, 'labeled_at': s.labeled_at}) END AS _gl_stored_hash,
       s.source_file AS _gl_stored_file,
       s.source_row AS _gl_stored_row
FROM rows AS r
LEFT JOIN labels AS s
    ON s.account_id = r.account_id AND s.source IS NOT DISTINCT FROM r.source AND r._gl_reason IS NULL;
