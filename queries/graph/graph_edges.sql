-- graph/graph_edges: account <-> identifier edges of every enabled kind in the time window, with request count and first/last seen.
-- inputs: graph_requests, account_universe, payment_methods, accounts, graph_kinds
-- params: $since, $until, $public_email_domains
-- Request-level kinds (ip, ip_prefix, device, api_key, template) come from
-- the requests of the window.  Account-level kinds (payment, card_bin,
-- email_domain) are attributes: they count for the accounts active in the
-- window (for every account when there is no window), n_requests is NULL and
-- first/last seen is when the instrument was added or the account created.
-- Public e-mail domains are never identifiers.
CREATE OR REPLACE TEMP TABLE graph_edges AS
WITH request_edges AS (   -- one aggregate per kind: five small hash tables, not one over five times the rows
    SELECT account_id, 'ip' AS kind, ip AS value, count(*) AS n_requests, min(ts) AS first_seen, max(ts) AS last_seen
    FROM graph_requests WHERE ip IS NOT NULL GROUP BY account_id, ip
    UNION ALL
    SELECT account_id, 'ip_prefix', ip_prefix, count(*), min(ts), max(ts)
    FROM graph_requests WHERE ip_prefix IS NOT NULL GROUP BY account_id, ip_prefix
    UNION ALL
    SELECT account_id, 'device', device, count(*), min(ts), max(ts)
    FROM graph_requests WHERE device IS NOT NULL GROUP BY account_id, device
    UNION ALL
    SELECT account_id, 'api_key', api_key, count(*), min(ts), max(ts)
    FROM graph_requests WHERE api_key IS NOT NULL GROUP BY account_id, api_key
    UNION ALL
    SELECT account_id, 'template', template, count(*), min(ts), max(ts)
    FROM graph_requests WHERE template IS NOT NULL GROUP BY account_id, template
),
static_accounts AS (
    SELECT account_id FROM account_universe WHERE $since IS NULL AND $until IS NULL
    UNION
    SELECT DISTINCT account_id FROM graph_requests
),
payments AS (
    SELECT p.account_id, nullif(trim(p.payment_fingerprint), '') AS payment,
           nullif(trim(p.card_bin), '') AS card_bin, p.added_at
    FROM payment_methods AS p
    SEMI JOIN static_accounts AS s ON s.account_id = p.account_id
    WHERE $until IS NULL OR p.added_at IS NULL OR p.added_at < $until
),
payment_edges AS (
    SELECT account_id, kind, value, NULL::BIGINT AS n_requests, min(added_at) AS first_seen, max(added_at) AS last_seen
    FROM (UNPIVOT payments ON payment, card_bin INTO NAME kind VALUE value)
    GROUP BY account_id, kind, value
),
email_edges AS (
    SELECT a.account_id, 'email_domain' AS kind, lower(trim(a.email_domain)) AS value,
           NULL::BIGINT AS n_requests, a.created_at AS first_seen, a.created_at AS last_seen
    FROM accounts AS a
    SEMI JOIN static_accounts AS s ON s.account_id = a.account_id
    WHERE nullif(trim(a.email_domain), '') IS NOT NULL
      AND NOT list_contains($public_email_domains::VARCHAR[], lower(trim(a.email_domain)))
),
all_edges AS (
    FROM request_edges
    UNION ALL FROM payment_edges
    UNION ALL FROM email_edges
)
SELECT e.account_id, e.kind, e.value, e.n_requests, e.first_seen, e.last_seen
FROM all_edges AS e
SEMI JOIN graph_kinds AS k ON k.kind = e.kind;
