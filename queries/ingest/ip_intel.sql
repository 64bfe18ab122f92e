-- ingest/ip_intel: append the loadable ip_intel rows of the file, in file order.
-- inputs: _ingest_checked, _ingest_fates
-- params: $source_file
INSERT INTO ip_intel
SELECT cidr, ip_version, net_lo, net_hi, asn, as_org, ip_type, extra, $source_file, _gl_row
FROM _ingest_checked
WHERE _gl_reason IS NULL AND _gl_row NOT IN (SELECT _gl_row FROM _ingest_fates)
ORDER BY _gl_row;
