-- report/last_ingest: when data was last loaded (a run started before it may be stale).
-- inputs: ingest_log
-- params: none
SELECT max(ingested_at) AS last_ingest
FROM ingest_log
WHERE rows_loaded > 0;
