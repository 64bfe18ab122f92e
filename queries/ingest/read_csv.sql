-- ingest/read_csv: one CSV file (plain or .gz) into _ingest_read, every column as text.
-- inputs: the file at $path
-- params: $path
-- The dialect is fixed (comma, double quotes, a header row) rather than
-- sniffed, so a file with a few broken rows is still read as the file it is.
-- Rows that do not fit (wrong number of fields, bad UTF-8) go to the temp
-- table _ingest_csv_errors instead of failing the file; raw_csv turns them
-- into malformed_row rejects.
CREATE OR REPLACE TEMP TABLE _ingest_read AS
SELECT *
FROM read_csv($path,
    header = true, all_varchar = true, delim = ',', quote = '"', escape = '"',
    store_rejects = true, rejects_table = '_ingest_csv_errors', rejects_scan = '_ingest_csv_scans');
