-- schema/50_report: week-over-week cluster lineage and ban-evasion flags of the weekly report.
-- inputs: none
-- params: none
-- lineage_runs: one row per run whose lineage has been computed, and the
-- run of the earlier week it was compared with (NULL: the first week of a chain).
-- Lineage is computed once per run and then kept, so re-running a report
-- gives the same lineage ids.
-- lineage_links: every pair (cluster of a run, cluster of the run of the
-- previous week) that overlaps enough in members or binding identifiers to be linked.
-- run_lineage: one row per cluster of a run (cluster_id set) and one per
-- cluster of the previous run that has no successor (status "gone",
-- cluster_id NULL).  status is one of new, persisting, grown, shrunk,
-- replaced, merged, split, gone.
-- run_ban_evasion: accounts created after the ban of an account in a known
-- cluster (of this run or of an earlier week) that use the binding
-- identifiers of that cluster; one row per (account, known cluster).

CREATE TABLE IF NOT EXISTS lineage_runs (
    run_id       BIGINT NOT NULL,
    week         VARCHAR NOT NULL,
    prev_run_id  BIGINT,
    prev_week    VARCHAR,
    computed_at  TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS lineage_links (
    run_id               BIGINT NOT NULL,
    prev_run_id          BIGINT NOT NULL,
    cluster_id           VARCHAR NOT NULL,
    prev_cluster_id      VARCHAR NOT NULL,
    shared_members       BIGINT NOT NULL,
    member_jaccard       DOUBLE NOT NULL,
    shared_identifiers   BIGINT NOT NULL,
    identifier_jaccard   DOUBLE NOT NULL,
    strength             DOUBLE NOT NULL   -- the larger of the two Jaccard indices
);

CREATE TABLE IF NOT EXISTS run_lineage (
    run_id              BIGINT NOT NULL,
    week                VARCHAR NOT NULL,
    cluster_id          VARCHAR,            -- NULL for status 'gone'
    lineage_id          VARCHAR NOT NULL,   -- 'L-' || first week || '-' || first cluster id
    status              VARCHAR NOT NULL,
    prev_run_id         BIGINT,
    prev_week           VARCHAR,
    prev_cluster_ids    VARCHAR[] NOT NULL, -- linked clusters of the previous run, strongest first
    prev_lineage_ids    VARCHAR[] NOT NULL,
    size                BIGINT NOT NULL,    -- 0 for 'gone'
    prev_size           BIGINT,             -- summed over the linked previous clusters
    shared_members      BIGINT NOT NULL,
    shared_identifiers  BIGINT NOT NULL,
    member_jaccard      DOUBLE,             -- of the strongest link
    identifier_jaccard  DOUBLE
);

CREATE TABLE IF NOT EXISTS run_ban_evasion (
    run_id              BIGINT NOT NULL,
    account_id          VARCHAR NOT NULL,
    cluster_id          VARCHAR,            -- the account's cluster in this run, if any
    created_at          TIMESTAMP,
    known_run_id        BIGINT NOT NULL,
    known_week          VARCHAR,
    known_cluster_id    VARCHAR NOT NULL,
    known_lineage_id    VARCHAR,
    n_banned            BIGINT NOT NULL,    -- banned accounts in the known cluster
    first_ban_at        TIMESTAMP NOT NULL, -- the earliest of their ban times
    shared_identifiers  VARCHAR[] NOT NULL  -- 'kind:value', sorted
);
