-- schema/20_templates: prompt templates mined from prompt text (graphlink.templates).
-- inputs: none
-- params: none
-- templates: one row per template.  source is 'mined' (scaffold mining over
-- requests.prompt) or 'upstream' (requests.prompt_template_id, used as given).
-- skeleton: the fixed scaffold in order, variable parts marked «…» and
-- numbers «n»; NULL for upstream templates.  n_variants: how many distinct
-- near-duplicate scaffolds (paraphrases, small edits) were merged into it.
-- is_hub: used by more accounts than graph.kinds.template.hub_cap, so a
-- public template, not evidence that its users are linked.
-- flags: the configured reasoning / grading phrases the scaffold contains.
-- request_templates: the template of each templated request (only those).
-- request_flags: requests whose own prompt contains a configured reasoning or
-- grading phrase (only those), so no later stage reads the prompt text.
-- template_state: what the last mining saw, so it reruns only when the
-- requests (or the template config) changed.

CREATE TABLE IF NOT EXISTS templates (
    template_id        VARCHAR NOT NULL,
    skeleton           VARCHAR,
    source             VARCHAR NOT NULL,
    n_requests         BIGINT NOT NULL,
    n_accounts         BIGINT NOT NULL,
    first_seen         TIMESTAMP,
    last_seen          TIMESTAMP,
    elicits_reasoning  BOOLEAN NOT NULL,
    grades_outputs     BOOLEAN NOT NULL,
    flags              VARCHAR[] NOT NULL,
    is_hub             BOOLEAN NOT NULL,
    n_variants         BIGINT NOT NULL,
    scaffold_words     BIGINT
);

CREATE TABLE IF NOT EXISTS request_templates (
    request_id   VARCHAR NOT NULL,
    template_id  VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS request_flags (
    request_id  VARCHAR NOT NULL,
    reasoning   BOOLEAN NOT NULL,
    grading     BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS template_state (
    requests_fingerprint  VARCHAR NOT NULL,
    config_fingerprint    VARCHAR NOT NULL,
    mined_at              TIMESTAMP NOT NULL,
    seconds               DOUBLE,
    stats                 JSON
);
