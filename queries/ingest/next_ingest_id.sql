-- ingest/next_ingest_id: the id the next ingested file gets.
-- inputs: ingest_log
-- params: none
SELECT coalesce(max(ingest_id), 0) + 1 AS ingest_id FROM ingest_log;
