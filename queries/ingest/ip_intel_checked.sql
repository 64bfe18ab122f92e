-- ingest/ip_intel_checked: _ingest_checked for ip_intel: the parsed network, the first rule each row breaks, and the stored row of the same network.
-- inputs: _ingest_stage, ip_intel
-- params: none
-- Rules, first broken wins: malformed_row, missing_required (cidr), bad_cidr
-- (not an IPv4 / IPv6 network or address), bad_integer (asn: a whole number
-- not below 0, optionally written AS13335).  Networks are normalised (host
-- bits cleared), so 203.0.113.7/24 and 203.0.113.0/24 are the same network.
-- Card-like numbers are masked.  Text is trimmed; an empty value is missing.
CREATE OR REPLACE TEMP TABLE _ingest_checked AS
WITH given AS (
    SELECT _gl_row, _gl_error, _gl_text,
           nullif(trim(cidr), '') AS cidr,
           nullif(trim(asn), '') AS asn,
           nullif(trim(as_org), '') AS as_org,
           nullif(trim(ip_type), '') AS ip_type,
           _gl_extra
    FROM _ingest_stage
),
masked AS (
    SELECT _gl_row, _gl_error, _gl_text, cidr,
           cidr_parse(cidr) AS v_cidr,
           card_like(concat_ws(chr(31), cidr, asn, as_org, ip_type, _gl_extra)) AS _gl_cards,
           CASE WHEN _gl_cards THEN card_mask(cidr) ELSE cidr END AS m_cidr,
           CASE WHEN _gl_cards THEN card_mask(asn) ELSE asn END AS m_asn,
           CASE WHEN _gl_cards THEN card_mask(as_org) ELSE as_org END AS m_as_org,
           CASE WHEN _gl_cards THEN card_mask(ip_type) ELSE ip_type END AS m_ip_type,
           CASE WHEN _gl_cards THEN card_mask(_gl_extra) ELSE _gl_extra END AS m_extra,
           _gl_cards AND (as_org IS DISTINCT FROM m_as_org OR ip_type IS DISTINCT FROM m_ip_type
                          OR _gl_extra IS DISTINCT FROM m_extra) AS _gl_masked
    FROM given
),
typed AS (
    SELECT *, parse_int(regexp_replace(m_asn, '^[Aa][Ss]', '')) AS v_asn
    FROM masked
),
ruled AS (
    SELECT *,
           CASE
               WHEN _gl_error IS NOT NULL THEN ['malformed_row', _gl_error]
               WHEN cidr IS NULL THEN ['missing_required', 'cidr']
               WHEN v_cidr IS NULL THEN ['bad_cidr', 'cidr: ' || left(m_cidr, 80)]
               WHEN m_asn IS NOT NULL AND (v_asn IS NULL OR v_asn < 0) THEN ['bad_integer', 'asn: ' || left(m_asn, 80)]
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
                        'cidr': m_cidr, 'asn': m_asn, 'as_org': m_as_org, 'ip_type': m_ip_type}),
                        coalesce(m_extra, '{}'))
               END
           END AS _gl_raw,
           cidr_text(v_cidr) AS cidr,
           v_cidr.version::TINYINT AS ip_version,
           v_cidr.lo AS net_lo,
           v_cidr.hi AS net_hi,
           v_asn AS asn,
           m_as_org AS as_org,
           m_ip_type AS ip_type,
           m_extra::JSON AS extra
    FROM ruled
)
SELECT r.*,
       {'cidr': r.cidr} AS _gl_key,
       hash({'asn': r.asn, 'as_org': r.as_org, 'ip_type': r.ip_type}) AS _gl_hash,
       CASE WHEN s.cidr IS NOT NULL THEN hash({'asn': s.asn, 'as_org': s.as_org, 'ip_type': s.ip_type}) END AS _gl_stored_hash,
       s.source_file AS _gl_stored_file,
       s.source_row AS _gl_stored_row
FROM rows AS r
LEFT JOIN ip_intel AS s ON s.cidr = r.cidr AND r._gl_reason IS NULL;
