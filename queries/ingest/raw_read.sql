-- ingest/raw_read: _ingest_raw for a JSON Lines file, whose rows are numbered as read.
-- inputs: _ingest_read
-- params: none
CREATE OR REPLACE TEMP VIEW _ingest_raw AS
SELECT * FROM _ingest_read;
