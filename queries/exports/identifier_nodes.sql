-- exports/identifier_nodes: what an export shows about each identifier it draws.
-- inputs: export_edges, run_hubs, templates, payment_methods, ip_intel
-- params: $run_id
-- n_selected: accounts of the export using it; degree: accounts in the
-- window of the run using it; n_requests / first_seen / last_seen: the use
-- the accounts of the export make of it.  Templates add their skeleton and
-- flags; payment instruments their method and billing countries; IP
-- addresses and prefixes the narrowest ip_intel range holding them.
WITH identifiers AS (
    SELECT kind, value,
           any_value(n_selected) AS n_selected,
           max(degree) AS degree,
           bool_or(is_hub) AS is_hub,
           sum(n_requests) AS n_requests,
           min(first_seen) AS first_seen,
           max(last_seen) AS last_seen,
           max(weight) AS weight
    FROM export_edges
    GROUP BY kind, value
),
hubs AS (
    SELECT kind, value, any_value(hub_cap) AS hub_cap
    FROM run_hubs
    WHERE run_id = $run_id
    GROUP BY kind, value
),
tpl AS (
    SELECT 'template' AS kind, template_id AS value,
           any_value(skeleton) AS skeleton,
           any_value(source) AS template_source,
           any_value(elicits_reasoning) AS elicits_reasoning,
           any_value(grades_outputs) AS grades_outputs,
           any_value(flags) AS flags
    FROM templates
    WHERE template_id IN (SELECT value FROM identifiers WHERE kind = 'template')
    GROUP BY template_id
),
pay AS (
    SELECT 'payment' AS kind, payment_fingerprint AS value,
           list(DISTINCT method_type ORDER BY method_type) FILTER (WHERE method_type IS NOT NULL) AS method_type,
           list(DISTINCT billing_country ORDER BY billing_country) FILTER (WHERE billing_country IS NOT NULL) AS billing_country
    FROM payment_methods
    WHERE payment_fingerprint IN (SELECT value FROM identifiers WHERE kind = 'payment')
    GROUP BY payment_fingerprint
),
addresses AS (
    SELECT kind, value,
           CASE kind WHEN 'ip' THEN ip_parse(value).version ELSE cidr_parse(value).version END AS version,
           CASE kind WHEN 'ip' THEN ip_parse(value).num ELSE cidr_parse(value).lo END AS lo,
           CASE kind WHEN 'ip' THEN ip_parse(value).num ELSE cidr_parse(value).hi END AS hi
    FROM identifiers
    WHERE kind IN ('ip', 'ip_prefix')
),
nets AS (
    SELECT a.kind, a.value,
           'AS' || arg_min(n.asn, n.net_hi - n.net_lo) AS asn,
           arg_min(n.as_org, n.net_hi - n.net_lo) AS as_org,
           arg_min(n.ip_type, n.net_hi - n.net_lo) AS ip_type
    FROM addresses AS a
    JOIN ip_intel AS n
      ON n.ip_version = a.version AND n.net_lo <= a.lo AND a.hi <= n.net_hi
    GROUP BY a.kind, a.value
)
SELECT
    i.kind,
    i.value,
    i.n_selected,
    i.degree,
    i.is_hub,
    h.hub_cap,
    i.n_requests,
    i.first_seen,
    i.last_seen,
    i.weight,
    t.skeleton,
    t.template_source,
    t.elicits_reasoning,
    t.grades_outputs,
    t.flags,
    p.method_type,
    p.billing_country,
    n.ip_type,
    n.asn,
    n.as_org
FROM identifiers AS i
LEFT JOIN hubs AS h USING (kind, value)
LEFT JOIN tpl AS t USING (kind, value)
LEFT JOIN pay AS p USING (kind, value)
LEFT JOIN nets AS n USING (kind, value)
ORDER BY i.kind, i.value;
