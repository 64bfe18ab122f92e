-- graph/graph_memberships: (account, identifier) pairs as integer ids for every shared identifier, with the time buckets in which the account used it.
-- inputs: graph_edges, graph_identifiers, graph_accounts, graph_requests
-- params: $co_occurrence_minutes
-- buckets: floor(request time / co_occurrence_minutes) of the requests of
-- the account with this identifier; kept only for non-hub request-level
-- identifiers (NULL for hubs and account-level kinds), so two accounts that
-- used one identifier in the same bucket can be told from two that used it
-- months apart.
CREATE OR REPLACE TEMP TABLE graph_memberships AS
WITH used AS (
    SELECT u.account_id, u.kind, u.value, epoch_ms(u.ts) // ($co_occurrence_minutes * 60000) AS bucket
    FROM (
        UNPIVOT (SELECT account_id, ts, ip, ip_prefix, device, api_key, template FROM graph_requests)
        ON ip, ip_prefix, device, api_key, template INTO NAME kind VALUE value
    ) AS u
),
buckets AS (
    SELECT a.aid, i.iid, list(DISTINCT u.bucket) AS buckets
    FROM used AS u
    JOIN graph_identifiers AS i ON i.kind = u.kind AND i.value = u.value AND NOT i.is_hub
    JOIN graph_accounts AS a ON a.account_id = u.account_id
    GROUP BY a.aid, i.iid
)
SELECT a.aid, i.iid, i.is_hub, e.n_requests, e.first_seen, e.last_seen, b.buckets
FROM graph_edges AS e
JOIN graph_identifiers AS i ON i.kind = e.kind AND i.value = e.value
JOIN graph_accounts AS a ON a.account_id = e.account_id
LEFT JOIN buckets AS b ON b.aid = a.aid AND b.iid = i.iid;
