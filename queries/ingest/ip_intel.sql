-- ingest/ip_intel: append the rows of _ingest_load (the plain rows of the files, or the loadable rows kept aside), each with its file and row number, to ip_intel, in the order read.
-- inputs: _ingest_load
-- params: none
INSERT INTO ip_intel
SELECT cidr, ip_version, net_lo, net_hi, asn, as_org, ip_type, extra, src_file(_gl_file), src_row(_gl_file, _gl_row)
FROM _ingest_load;
