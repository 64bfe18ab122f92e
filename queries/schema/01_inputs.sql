-- schema/01_inputs: the canonical input tables of the data contract (DATA_CONTRACT.md).
-- inputs: none
-- params: none
-- Timestamps are stored as TIMESTAMP in UTC.  Uniqueness (account_id,
-- request_id, (account_id, payment_fingerprint), cidr) is enforced by the
-- ingest stage, which rejects conflicting duplicates with a reason.
-- extra holds unknown input columns as a JSON object; source_file and
-- source_row say where each row came from.

CREATE TABLE IF NOT EXISTS accounts (
    account_id    VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    org_id        VARCHAR,
    email_domain  VARCHAR,
    country       VARCHAR,
    tier          VARCHAR,
    status        VARCHAR,
    extra         JSON,
    source_file   VARCHAR,
    source_row    BIGINT
);

CREATE TABLE IF NOT EXISTS payment_methods (
    account_id           VARCHAR NOT NULL,
    payment_fingerprint  VARCHAR NOT NULL,
    method_type          VARCHAR,
    card_bin             VARCHAR,
    billing_country      VARCHAR,
    added_at             TIMESTAMP,
    extra                JSON,
    source_file          VARCHAR,
    source_row           BIGINT
);

CREATE TABLE IF NOT EXISTS requests (
    request_id          VARCHAR NOT NULL,
    account_id          VARCHAR NOT NULL,
    ts                  TIMESTAMP NOT NULL,
    ip                  VARCHAR NOT NULL,   -- normalised text form (IPv6 compressed, lower-case)
    ip_version          TINYINT NOT NULL,   -- 4 or 6
    ip_num              UHUGEINT NOT NULL,  -- the address as an integer, for range joins with ip_intel
    ip_prefix           VARCHAR NOT NULL,   -- a.b.c.0/24 for IPv4, the /64 network for IPv6
    device_fingerprint  VARCHAR,
    user_agent          VARCHAR,
    api_key_id          VARCHAR,
    model               VARCHAR,
    prompt              VARCHAR USING COMPRESSION zstd,   -- long text: zstd writes it at twice the speed and half the size of the default
    prompt_template_id  VARCHAR,
    prompt_tokens       BIGINT,
    completion_tokens   BIGINT,
    extra               JSON,
    source_file         VARCHAR,
    source_row          BIGINT
);

CREATE TABLE IF NOT EXISTS ip_intel (
    cidr         VARCHAR NOT NULL,      -- normalised network, e.g. 203.0.113.0/24
    ip_version   TINYINT NOT NULL,
    net_lo       UHUGEINT NOT NULL,     -- first address of the network as an integer
    net_hi       UHUGEINT NOT NULL,     -- last address of the network as an integer
    asn          BIGINT,
    as_org       VARCHAR,
    ip_type      VARCHAR,
    extra        JSON,
    source_file  VARCHAR,
    source_row   BIGINT
);

CREATE TABLE IF NOT EXISTS labels (
    account_id   VARCHAR NOT NULL,
    label        VARCHAR NOT NULL,
    campaign_id  VARCHAR,
    source       VARCHAR,
    labeled_at   TIMESTAMP,
    extra        JSON,
    source_file  VARCHAR,
    source_row   BIGINT
);

-- Every account the data mentions: the accounts table plus accounts seen only
-- in requests or payment_methods (unknown sign-up time, per the contract).
CREATE OR REPLACE VIEW account_universe AS
SELECT account_id, created_at, org_id, email_domain, country, tier, status, TRUE AS known
FROM accounts
UNION ALL
SELECT o.account_id, NULL, NULL, NULL, NULL, NULL, NULL, FALSE
FROM (
    SELECT account_id FROM requests
    UNION
    SELECT account_id FROM payment_methods
) AS o
WHERE o.account_id NOT IN (SELECT account_id FROM accounts);
