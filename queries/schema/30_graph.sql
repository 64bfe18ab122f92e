-- schema/30_graph: per-run results of `graphlink detect`, keyed by run_id.
-- inputs: none
-- params: none
-- A run writes all of its rows in one transaction at its end (with the status
-- of its runs row set to 'complete'), so a run that dies leaves earlier runs
-- intact.  Identifiers are (kind, value) pairs; kinds are the keys of
-- config.graph.kinds (payment, card_bin, ip, ip_prefix, device, template,
-- email_domain, api_key).  Weights are rarity weights:
-- kind weight / ln(accounts sharing the identifier); hubs weigh 0.

-- One row per cluster: a Leiden community of at least
-- communities.min_cluster_size accounts.  cluster_id is canonical:
-- 'C-' || the smallest member account_id, so the same members give the same id
-- in every run.
CREATE TABLE IF NOT EXISTS run_clusters (
    run_id            BIGINT NOT NULL,
    cluster_id        VARCHAR NOT NULL,
    size              BIGINT NOT NULL,    -- member accounts
    n_requests        BIGINT NOT NULL,    -- members' requests in the run's window
    first_seen        TIMESTAMP,          -- members' first request in the window
    last_seen         TIMESTAMP,          -- members' last request in the window
    method            VARCHAR NOT NULL,   -- 'leiden-cpm' or 'leiden-modularity'
    n_links           BIGINT NOT NULL,    -- account pairs linked inside the cluster
    internal_weight   DOUBLE NOT NULL,    -- sum of those links' weights
    density           DOUBLE NOT NULL,    -- internal_weight / (size * (size - 1) / 2)
    n_identifiers     BIGINT NOT NULL,    -- non-hub identifiers shared by >= 2 members
    kinds             VARCHAR[] NOT NULL, -- kinds of those identifiers, sorted
    component_id      VARCHAR NOT NULL,   -- 'K-' || smallest account_id of its connected component
    component_size    BIGINT NOT NULL,
    dense_block       VARCHAR,            -- the dense block most members fall in (run_dense_blocks), if any
    dense_block_share DOUBLE              -- share of the members in that dense block
);

-- Cluster membership; n_links and strength count links inside the cluster,
-- n_requests / first_seen / last_seen requests of the member in the window.
CREATE TABLE IF NOT EXISTS run_members (
    run_id      BIGINT NOT NULL,
    cluster_id  VARCHAR NOT NULL,
    account_id  VARCHAR NOT NULL,
    n_links     BIGINT NOT NULL,
    strength    DOUBLE NOT NULL,
    n_requests  BIGINT,
    first_seen  TIMESTAMP,
    last_seen   TIMESTAMP
);

-- The identifiers that bind each cluster: every identifier used by at least
-- two of its members.  n_accounts counts members, degree all accounts in the
-- window; n_requests / first_seen / last_seen describe how members used it.
CREATE TABLE IF NOT EXISTS run_evidence (
    run_id      BIGINT NOT NULL,
    cluster_id  VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    value       VARCHAR NOT NULL,
    n_accounts  BIGINT NOT NULL,
    degree      BIGINT NOT NULL,
    n_requests  BIGINT,
    first_seen  TIMESTAMP,
    last_seen   TIMESTAMP,
    is_hub      BOOLEAN NOT NULL,
    weight      DOUBLE NOT NULL
);

-- Identifiers treated as hubs: shared by more accounts than the hub_cap of
-- their kind, recorded here and never turned into links.
CREATE TABLE IF NOT EXISTS run_hubs (
    run_id      BIGINT NOT NULL,
    kind        VARCHAR NOT NULL,
    value       VARCHAR NOT NULL,
    degree      BIGINT NOT NULL,
    hub_cap     BIGINT NOT NULL,
    n_requests  BIGINT,
    first_seen  TIMESTAMP,
    last_seen   TIMESTAMP
);

-- Account <-> identifier edges for every identifier shared by two or more
-- accounts in the window (an identifier only one account used links nothing).
-- n_requests is NULL for kinds that are account attributes, not request
-- fields (payment, card_bin, email_domain).
CREATE TABLE IF NOT EXISTS run_edges (
    run_id      BIGINT NOT NULL,
    account_id  VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    value       VARCHAR NOT NULL,
    n_requests  BIGINT,
    first_seen  TIMESTAMP,
    last_seen   TIMESTAMP,
    weight      DOUBLE NOT NULL,
    degree      BIGINT NOT NULL,
    is_hub      BOOLEAN NOT NULL
);

-- The account <-> account projection that was clustered (account_a <
-- account_b).  weight sums, over the non-hub identifiers both accounts used,
-- the weight of the identifier times (apart + graph.co_occurrence_bonus *
-- overlap) for request-level kinds (apart per kind), times 1 for account-level
-- kinds; overlap is the share of the time buckets (graph.co_occurrence_minutes)
-- of the less active account in which the other used the identifier too.
-- evidence lists the strongest of those identifiers with their contribution.
CREATE TABLE IF NOT EXISTS run_links (
    run_id          BIGINT NOT NULL,
    account_a       VARCHAR NOT NULL,
    account_b       VARCHAR NOT NULL,
    weight          DOUBLE NOT NULL,
    n_shared        BIGINT NOT NULL,  -- shared non-hub identifiers
    n_co_occurring  BIGINT NOT NULL,  -- ... of which both used in at least one common time bucket
    kinds           VARCHAR[] NOT NULL,
    evidence        STRUCT(kind VARCHAR, value VARCHAR, weight DOUBLE, overlap DOUBLE)[] NOT NULL
);

-- Dense blocks (graphlink.denseblock, when communities.dense_blocks is on): a
-- second signal next to Leiden.  One row per (block, account); blocks share
-- no account.  density = summed edge weight 1 / ln(degree + 5) inside the
-- block over its accounts plus identifiers (FRAUDAR); rank 1 is the densest.
CREATE TABLE IF NOT EXISTS run_dense_blocks (
    run_id         BIGINT NOT NULL,
    block_id       VARCHAR NOT NULL,  -- 'D-' || smallest account_id of the block
    account_id     VARCHAR NOT NULL,
    rank           BIGINT NOT NULL,
    density        DOUBLE NOT NULL,
    n_accounts     BIGINT NOT NULL,
    n_identifiers  BIGINT NOT NULL
);
