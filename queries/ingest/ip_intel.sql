-- ingest/ip_intel: append the rows of _ingest_load (the plain rows of the file, or the loadable rows kept aside) to ip_intel, in the order read.
-- inputs: _ingest_load
-- params: $source_file
INSERT INTO ip_intel
SELECT cidr, ip_version, net_lo, net_hi, asn, as_org, ip_type, extra, $source_file, _gl_row
FROM _ingest_load;
