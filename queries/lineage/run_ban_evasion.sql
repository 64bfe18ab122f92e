-- lineage/run_ban_evasion: accounts created after a ban that use the binding identifiers of the cluster of the banned accounts.
-- inputs: accounts, requests, run_members, run_evidence, run_edges, run_lineage, runs
-- params: $run_id, $known_runs, $kinds, $ownership, $min_shared
-- Known clusters are the clusters of the runs in $known_runs (this run and
-- the earlier weeks of its lineage chain) that hold accounts with status
-- "banned".  The ban time of an account is accounts.extra.banned_at when the
-- input carried such a column, else the time of its last request, else its
-- sign-up time.  A flagged account was created after the earliest ban in the
-- known cluster and, in the window of this run, used at least $min_shared of
-- the own identifiers of that cluster (non-hub evidence of the kinds in
-- $kinds used mostly by its members: at least $ownership of the accounts
-- using it in that window).
INSERT INTO run_ban_evasion
WITH banned AS (
    SELECT a.account_id,
           coalesce(TRY_CAST(json_extract_string(a.extra, '$.banned_at') AS TIMESTAMP),
                    r.last_ts, a.created_at) AS banned_at
    FROM accounts AS a
    LEFT JOIN (
        SELECT account_id, max(ts) AS last_ts
        FROM requests
        WHERE account_id IN (SELECT account_id FROM accounts WHERE lower(status) = 'banned')
        GROUP BY account_id
    ) AS r USING (account_id)
    WHERE lower(a.status) = 'banned'
),
known AS (
    SELECT m.run_id, m.cluster_id, count(*) AS n_banned, min(b.banned_at) AS first_ban_at
    FROM run_members AS m
    JOIN banned AS b USING (account_id)
    WHERE list_contains($known_runs, m.run_id)
    GROUP BY m.run_id, m.cluster_id
),
known_ids AS (
    SELECT DISTINCT k.run_id, k.cluster_id, k.n_banned, k.first_ban_at, e.kind, e.value
    FROM known AS k
    JOIN run_evidence AS e ON e.run_id = k.run_id AND e.cluster_id = k.cluster_id
    WHERE NOT coalesce(e.is_hub, FALSE) AND list_contains($kinds, e.kind)
      AND e.n_accounts >= $ownership * e.degree
),
used AS (
    SELECT DISTINCT account_id, kind, value
    FROM run_edges
    WHERE run_id = $run_id AND NOT is_hub AND list_contains($kinds, kind)
),
hits AS (
    SELECT u.account_id, k.run_id AS known_run_id, k.cluster_id AS known_cluster_id,
           any_value(k.n_banned) AS n_banned, any_value(k.first_ban_at) AS first_ban_at,
           list(u.kind || ':' || u.value ORDER BY u.kind, u.value) AS shared_identifiers
    FROM used AS u
    JOIN known_ids AS k USING (kind, value)
    GROUP BY u.account_id, k.run_id, k.cluster_id
)
SELECT $run_id AS run_id, h.account_id, m.cluster_id, a.created_at,
       h.known_run_id, r.week AS known_week, h.known_cluster_id, l.lineage_id AS known_lineage_id,
       h.n_banned, h.first_ban_at, h.shared_identifiers
FROM hits AS h
JOIN accounts AS a USING (account_id)
LEFT JOIN run_members AS m ON m.run_id = $run_id AND m.account_id = h.account_id
LEFT JOIN runs AS r ON r.run_id = h.known_run_id
LEFT JOIN run_lineage AS l ON l.run_id = h.known_run_id AND l.cluster_id = h.known_cluster_id
WHERE a.created_at > h.first_ban_at
  AND len(h.shared_identifiers) >= $min_shared
ORDER BY h.account_id, h.known_run_id, h.known_cluster_id;
