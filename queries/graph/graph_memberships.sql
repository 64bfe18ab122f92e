-- graph/graph_memberships: (account, identifier) pairs as integer ids for every shared identifier, with the time buckets in which the account used it.
-- inputs: graph_edges, graph_identifiers, graph_accounts, graph_requests
-- params: $co_occurrence_minutes
-- buckets: floor(request time / co_occurrence_minutes) of the requests of
-- the account with this identifier; kept only for non-hub request-level
-- identifiers (NULL for hubs and account-level kinds), so two accounts that
-- used one identifier in the same bucket can be told from two that used it
-- months apart.
CREATE OR REPLACE TEMP TABLE graph_memberships AS
WITH linked AS (   -- the identifiers whose pairs are linked: shared, not hubs
    SELECT iid, kind, value FROM graph_identifiers WHERE NOT is_hub
),
used AS (   -- one join per kind, on the value alone
    SELECT r.account_id, i.iid, epoch_ms(r.ts) // ($co_occurrence_minutes * 60000) AS bucket
    FROM graph_requests AS r JOIN linked AS i ON i.kind = 'ip' AND i.value = r.ip
    UNION ALL
    SELECT r.account_id, i.iid, epoch_ms(r.ts) // ($co_occurrence_minutes * 60000) AS bucket
    FROM graph_requests AS r JOIN linked AS i ON i.kind = 'ip_prefix' AND i.value = r.ip_prefix
    UNION ALL
    SELECT r.account_id, i.iid, epoch_ms(r.ts) // ($co_occurrence_minutes * 60000) AS bucket
    FROM graph_requests AS r JOIN linked AS i ON i.kind = 'device' AND i.value = r.device
    UNION ALL
    SELECT r.account_id, i.iid, epoch_ms(r.ts) // ($co_occurrence_minutes * 60000) AS bucket
    FROM graph_requests AS r JOIN linked AS i ON i.kind = 'api_key' AND i.value = r.api_key
    UNION ALL
    SELECT r.account_id, i.iid, epoch_ms(r.ts) // ($co_occurrence_minutes * 60000) AS bucket
    FROM graph_requests AS r JOIN linked AS i ON i.kind = 'template' AND i.value = r.template
),
buckets AS (
    SELECT a.aid, u.iid, list(DISTINCT u.bucket) AS buckets
    FROM used AS u
    JOIN graph_accounts AS a ON a.account_id = u.account_id
    GROUP BY a.aid, u.iid
)
SELECT a.aid, i.iid, i.is_hub, e.n_requests, e.first_seen, e.last_seen, b.buckets
FROM graph_edges AS e
JOIN graph_identifiers AS i ON i.kind = e.kind AND i.value = e.value
JOIN graph_accounts AS a ON a.account_id = e.account_id
LEFT JOIN buckets AS b ON b.aid = a.aid AND b.iid = i.iid;
