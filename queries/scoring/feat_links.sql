-- scoring/feat_links: declared organisation membership (a mitigating sign) and links to banned or labelled accounts (ban evasion).
-- inputs: cluster_members, accounts, labels, payment_methods, requests, member_requests
-- params: $ban_statuses, $bad_labels, $max_payment_accounts, $max_device_accounts
-- Organisations: org_accounts counts members whose declared org_id at least
-- one other member declares too (n_orgs such organisations; top_org the
-- largest), org_share = org_accounts / n_accounts.
-- A "bad" account is one whose status is in $ban_statuses or that carries a
-- label in $bad_labels.  banned_accounts: members that are bad themselves.
-- evasion_accounts: the other members that share a payment instrument (any
-- time) or a device fingerprint (members: in the window; bad accounts: any
-- time) with a different bad account.  Only rare identifiers link: a payment
-- instrument of at most $max_payment_accounts accounts, a device of at most
-- $max_device_accounts (a browser build shared by thousands links no one).
CREATE OR REPLACE TEMP TABLE feat_links AS
WITH sizes AS (
    SELECT DISTINCT cid, cluster_size AS n FROM cluster_members
),
orgs AS (
    SELECT m.cid, a.org_id, count(DISTINCT m.account_id) AS k,
           row_number() OVER (PARTITION BY m.cid ORDER BY count(DISTINCT m.account_id) DESC, a.org_id) AS rk
    FROM cluster_members AS m
    JOIN accounts AS a USING (account_id)
    WHERE a.org_id IS NOT NULL
    GROUP BY m.cid, a.org_id
    HAVING count(DISTINCT m.account_id) >= 2
),
org_totals AS (
    SELECT cid, count(*) AS n_orgs, sum(k) AS k,
           arg_min(org_id, rk) AS top_org, min_by(k, rk) AS top_k
    FROM orgs
    GROUP BY cid
),
bad AS (
    SELECT account_id FROM accounts WHERE list_contains($ban_statuses, lower(status))
    UNION
    SELECT account_id FROM labels WHERE list_contains($bad_labels, lower(label))
),
bad_members AS (
    SELECT DISTINCT m.cid, m.account_id FROM cluster_members AS m JOIN bad USING (account_id)
),
rare_payment AS (
    SELECT payment_fingerprint
    FROM payment_methods
    GROUP BY payment_fingerprint
    HAVING count(DISTINCT account_id) <= $max_payment_accounts
),
bad_payment AS (
    SELECT DISTINCT p.payment_fingerprint, p.account_id AS bad_id
    FROM payment_methods AS p
    JOIN bad USING (account_id)
    SEMI JOIN rare_payment USING (payment_fingerprint)
),
bad_device_all AS (
    SELECT DISTINCT r.device_fingerprint, r.account_id AS bad_id
    FROM requests AS r JOIN bad USING (account_id)
    WHERE r.device_fingerprint IS NOT NULL
),
bad_device AS (
    -- devices of bad accounts used by few accounts in all
    SELECT b.device_fingerprint, b.bad_id
    FROM bad_device_all AS b
    WHERE b.device_fingerprint IN (
        SELECT r.device_fingerprint
        FROM requests AS r
        WHERE r.device_fingerprint IN (SELECT device_fingerprint FROM bad_device_all)
        GROUP BY r.device_fingerprint
        HAVING count(DISTINCT r.account_id) <= $max_device_accounts
    )
),
linked AS (
    SELECT m.cid, m.account_id
    FROM cluster_members AS m
    JOIN payment_methods AS p USING (account_id)
    JOIN bad_payment AS b ON b.payment_fingerprint = p.payment_fingerprint AND b.bad_id <> m.account_id
    UNION
    SELECT r.cid, r.account_id
    FROM (SELECT DISTINCT cid, account_id, device_fingerprint FROM member_requests
          WHERE device_fingerprint IS NOT NULL) AS r
    JOIN bad_device AS b ON b.device_fingerprint = r.device_fingerprint AND b.bad_id <> r.account_id
),
evasion AS (
    SELECT l.cid, count(*) AS k
    FROM linked AS l
    ANTI JOIN bad_members AS bm USING (cid, account_id)
    GROUP BY l.cid
)
SELECT
    s.cid,
    o.top_org,
    coalesce(o.top_k, 0) AS top_org_accounts,
    coalesce(o.n_orgs, 0) AS n_orgs,
    coalesce(o.k, 0) AS org_accounts,
    coalesce(o.k, 0) / s.n AS org_share,
    coalesce(bm.k, 0) AS banned_accounts,
    coalesce(e.k, 0) AS evasion_accounts,
    (coalesce(bm.k, 0) + coalesce(e.k, 0)) / s.n AS ban_link_share
FROM sizes AS s
LEFT JOIN org_totals AS o USING (cid)
LEFT JOIN (SELECT cid, count(*) AS k FROM bad_members GROUP BY cid) AS bm USING (cid)
LEFT JOIN evasion AS e USING (cid)
