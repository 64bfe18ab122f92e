-- schema/40_scoring: per-run cluster features and scores (graphlink.scoring).
-- inputs: none
-- params: none
-- run_features: one row per (run, cluster), every feature the score is built
-- from, computed in SQL over the run’s window (queries/scoring/feat_*.sql).
-- Shares are fractions in [0, 1]; "*_accounts" count members of the cluster.
-- run_scores: the 0-100 score, its band (high: recommend enforcement,
-- medium: investigate, low), the points each piece of evidence contributed
-- (JSON object feature -> points) and the reasons a reviewer reads (JSON list
-- of sentences, strongest first).

CREATE TABLE IF NOT EXISTS run_features (
    run_id                  BIGINT NOT NULL,
    cluster_id              VARCHAR NOT NULL,
    -- volume and load balancing
    n_accounts              BIGINT,
    n_active_accounts       BIGINT,
    n_requests              BIGINT,
    requests_per_account    DOUBLE,
    requests_per_active_day DOUBLE,   -- requests per (member, day) with any request
    request_evenness        DOUBLE,   -- 1 - Gini of requests per member (1 = perfectly even)
    top_account_share       DOUBLE,   -- share of requests made by the busiest member
    -- prompts
    templated_share         DOUBLE,
    n_templates             BIGINT,
    n_top_templates         BIGINT,   -- min(scoring.top_templates, n_templates)
    top_template_share      DOUBLE,   -- share of all requests in the cluster’s top templates
    n_own_templates         BIGINT,   -- templates whose users in the window are mostly members
    own_template_share      DOUBLE,   -- requests using the cluster’s own templates
    own_elicitation_share   DOUBLE,   -- ... that ask for reasoning or grading
    reasoning_share         DOUBLE,   -- requests asking for step-by-step reasoning
    grading_share           DOUBLE,   -- requests asking to grade or score outputs
    public_template_share   DOUBLE,   -- requests using public templates (hubs, or used across organisations)
    elicitation_share       DOUBLE,   -- requests asking for reasoning or grading, outside public templates
    token_ratio             DOUBLE,   -- completion tokens / prompt tokens
    top_model               VARCHAR,
    top_model_share         DOUBLE,   -- capability concentration
    -- timing
    quiet_share             DOUBLE,   -- share of requests in each member’s quietest hours of the day
    clock_flatness          DOUBLE,   -- quiet_share / (quiet_hours / 24): 1 = around the clock
    lockstep_observed       DOUBLE,   -- member pairs active in the same narrow window
    lockstep_expected       DOUBLE,   -- the same, expected by chance
    lockstep_lift           DOUBLE,   -- (observed + prior) / (expected + prior)
    -- accounts
    n_known_accounts        BIGINT,   -- members with a sign-up time
    burst_accounts          BIGINT,   -- most members created within scoring.burst_hours
    burst_share             DOUBLE,   -- burst_accounts / n_accounts
    median_age_days         DOUBLE,   -- account age at its first request in the window
    -- payment
    n_paying_accounts       BIGINT,
    n_instruments           BIGINT,
    shared_payment_accounts BIGINT,   -- members sharing an instrument with another member
    shared_payment_share    DOUBLE,
    prepaid_accounts        BIGINT,   -- members with a virtual or prepaid instrument
    prepaid_share           DOUBLE,
    n_carded_accounts       BIGINT,
    n_card_bins             BIGINT,
    n_top_bins              BIGINT,   -- min(scoring.top_bins, n_card_bins)
    top_bin_accounts        BIGINT,   -- members paying with a card of the top BINs
    top_bin_share           DOUBLE,   -- top_bin_accounts / n_accounts
    mismatch_accounts       BIGINT,   -- members billing in another country than they signed up in
    country_mismatch_share  DOUBLE,
    -- network
    n_ips                   BIGINT,
    n_prefixes              BIGINT,
    datacenter_share        DOUBLE,   -- shares of requests by ip_intel type
    proxy_share             DOUBLE,
    vpn_share               DOUBLE,
    anonymised_share        DOUBLE,   -- requests from scoring.anonymising_ip_types
    -- organisation and enforcement history
    top_org                 VARCHAR,  -- the declared org most members share
    top_org_accounts        BIGINT,
    n_orgs                  BIGINT,   -- declared orgs that two or more members share
    org_accounts            BIGINT,   -- members of those orgs
    org_share               DOUBLE,
    banned_accounts         BIGINT,   -- members themselves banned or suspended
    evasion_accounts        BIGINT,   -- other members sharing a card or device with a banned or labelled account
    ban_link_share          DOUBLE    -- (banned + evasion) / n_accounts
);

CREATE TABLE IF NOT EXISTS run_scores (
    run_id        BIGINT NOT NULL,
    cluster_id    VARCHAR NOT NULL,
    score         DOUBLE NOT NULL,    -- 0-100
    band          VARCHAR NOT NULL,   -- high, medium, low
    points        DOUBLE NOT NULL,    -- evidence points before the size factor and the cap
    size_factor   DOUBLE NOT NULL,    -- confidence from cluster size, 0-1
    contributions JSON NOT NULL,      -- feature -> points after the size factor
    reasons       JSON NOT NULL       -- sentences, strongest first
);
