-- ingest/ip_intel_stored: _ingest_stored: the stored ip_intel rows whose network (cidr) the file holds too (key and rowid); _ingest_stored_values: their values' hash and origin.
-- inputs: ip_intel, _ingest_checked
-- params: none
-- The lookup reads the key columns alone, with the file's keys as the build
-- side of the join; the stored values are read only for the rows it finds,
-- and only when a row kept aside asks for them (ingest/dedupe).
CREATE OR REPLACE TEMP TABLE _ingest_stored AS
SELECT {'cidr': s.cidr} AS _gl_key, s.rowid AS _gl_stored_rowid
FROM ip_intel AS s
WHERE s.cidr IN (SELECT _gl_key.cidr FROM _ingest_checked);

CREATE OR REPLACE TEMP VIEW _ingest_stored_values AS
SELECT k._gl_key,
       hash({'asn': s.asn, 'as_org': s.as_org, 'ip_type': s.ip_type}) AS _gl_stored_hash,
       s.source_file AS _gl_stored_file,
       s.source_row AS _gl_stored_row
FROM ip_intel AS s
JOIN _ingest_stored AS k ON s.rowid = k._gl_stored_rowid;
