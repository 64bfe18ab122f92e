-- schema/03_runs: the run manifest.  Every detection run records its window,
-- effective config, input file hashes and package versions, so any result can
-- be reproduced and explained.  Result tables of later stages are keyed by
-- run_id; a run's results are written in one transaction at its end, so a run
-- that dies leaves earlier runs intact.
-- inputs: none
-- params: none

CREATE TABLE IF NOT EXISTS runs (
    run_id        BIGINT NOT NULL,
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    status        VARCHAR NOT NULL,      -- running, complete, failed
    since         TIMESTAMP,
    until         TIMESTAMP,
    week          VARCHAR,               -- ISO week for report runs, e.g. 2026-W47
    config        JSON NOT NULL,
    input_hashes  JSON NOT NULL,
    versions      JSON NOT NULL,
    stats         JSON
);
