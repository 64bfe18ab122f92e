-- schema/02_ingest: bookkeeping of the ingest stage.
-- inputs: none
-- params: none
-- rejects: every row that broke a rule, with file, 1-based data row number
-- and reason; raw is the row as JSON with card-like numbers masked.
-- ingest_log: one row per file loaded; a file whose content hash is already
-- here is skipped, so loading the same file twice adds nothing.

CREATE TABLE IF NOT EXISTS rejects (
    table_name   VARCHAR NOT NULL,
    source_file  VARCHAR NOT NULL,
    source_row   BIGINT,
    reason       VARCHAR NOT NULL,
    detail       VARCHAR,
    raw          JSON,
    ingest_id    BIGINT
);

CREATE TABLE IF NOT EXISTS ingest_log (
    ingest_id    BIGINT NOT NULL,
    table_name   VARCHAR NOT NULL,
    source_file  VARCHAR NOT NULL,
    file_hash    VARCHAR NOT NULL,
    file_bytes   BIGINT,
    rows_read    BIGINT NOT NULL,
    rows_loaded  BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    rows_duplicate BIGINT NOT NULL,
    ingested_at  TIMESTAMP NOT NULL
);
