-- ingest/ip_intel_checked: _ingest_checked for ip_intel: the parsed network, the first rule each row breaks, the row's key and a hash of its values.
-- inputs: _ingest_stage
-- params: none
-- Rules, first broken wins: malformed_row, missing_required (cidr), bad_cidr
-- (not an IPv4 / IPv6 network or address), bad_integer (asn: a whole number
-- not below 0, optionally written AS13335).  Networks are normalised (host
-- bits cleared), so 203.0.113.7/24 and 203.0.113.0/24 are the same network.
-- Card-like numbers are masked.  Text is trimmed; an empty value is missing.
-- asn comes as text, or (Parquet) already typed in _v_asn.
-- A view: each pass over the file computes only the columns it reads.
CREATE OR REPLACE TEMP VIEW _ingest_checked AS
WITH given AS (
    SELECT _gl_row, _gl_file, _gl_error, _gl_text,
           text_in(cidr) AS cidr,
           text_in(asn) AS asn, _v_asn,
           text_in(as_org) AS as_org,
           text_in(ip_type) AS ip_type,
           _gl_extra
    FROM _ingest_stage
),
masked AS (
    SELECT *,
           cidr_parse(cidr) AS v_cidr,
           card_scrub(asn) AS m_asn,
           card_scrub(as_org) AS m_as_org,
           card_scrub(ip_type) AS m_ip_type,
           card_scrub(_gl_extra) AS m_extra
    FROM given
),
typed AS (
    SELECT *, coalesce(_v_asn, parse_int(regexp_replace(m_asn, '^[Aa][Ss]', ''))) AS v_asn
    FROM masked
),
ruled AS (
    SELECT *,
           CASE
               WHEN _gl_error IS NOT NULL THEN ['malformed_row', _gl_error]
               WHEN cidr IS NULL THEN ['missing_required', 'cidr']
               WHEN v_cidr IS NULL THEN ['bad_cidr', 'cidr: ' || left(card_scrub(cidr), 80)]
               WHEN (m_asn IS NOT NULL OR _v_asn IS NOT NULL) AND (v_asn IS NULL OR v_asn < 0)
                   THEN ['bad_integer', 'asn: ' || left(coalesce(m_asn, _v_asn::VARCHAR), 80)]
           END AS _gl_rule
    FROM typed
),
rows AS (
    SELECT _gl_row, _gl_file,
           (as_org IS DISTINCT FROM m_as_org OR ip_type IS DISTINCT FROM m_ip_type
            OR _gl_extra IS DISTINCT FROM m_extra) AS _gl_masked,
           _gl_rule[1] AS _gl_reason,
           _gl_rule[2] AS _gl_detail,
           CASE WHEN _gl_rule IS NOT NULL THEN
               CASE WHEN _gl_error IS NOT NULL THEN to_json({'record': card_mask(_gl_text)})
                    ELSE json_merge_patch(to_json({
                        'cidr': card_scrub(cidr), 'asn': coalesce(m_asn, _v_asn::VARCHAR),
                        'as_org': m_as_org, 'ip_type': m_ip_type}),
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
SELECT *,
       {'cidr': cidr} AS _gl_key,
       hash({'asn': asn, 'as_org': as_org, 'ip_type': ip_type}) AS _gl_hash
FROM rows;
