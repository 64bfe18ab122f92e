-- ingest/columns_csv: no rows; the cursor description names the columns of the header of a CSV file.
-- inputs: the file at $path
-- params: $path
SELECT *
FROM read_csv($path, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', ignore_errors = true)
LIMIT 0;
