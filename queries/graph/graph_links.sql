-- graph/graph_links: the account <-> account projection: every pair of accounts whose shared non-hub identifiers weigh at least $min_link_weight, with its weight and evidence.
-- inputs: graph_memberships, graph_identifiers
-- params: $co_occurrence_bonus, $evidence_per_link, $min_link_weight
-- overlap = how much of their use of the identifier two accounts share in
-- time: the share of the time buckets of the less active of the two in which
-- the other one used it too (1 = always together, 0 = never; 0 for
-- account-level kinds, which have no time).
-- weight = sum over the shared non-hub identifiers of rarity weight times
-- (apart + co_occurrence_bonus * overlap) for request-level kinds, where
-- apart (per kind) is the share kept by two accounts that never used the
-- identifier at the same time, and times 1 for account-level kinds.
-- Contributions are summed as integer micro-units so the total does not
-- depend on the order DuckDB threads add them in (same inputs, same weights,
-- same clusters).  The hub cap bounds the pairs an identifier can make to
-- hub_cap * (hub_cap - 1) / 2.
-- An identifier with apart = 0 (addresses) adds nothing for two accounts
-- that never used it in the same bucket, so only its co-occurring pairs are
-- made; n_shared counts the identifiers that add weight.
-- Pairs lighter than $min_link_weight are no link (most pairs of a large
-- world share one common card BIN or template and nothing else; with CPM at
-- resolution 0.2 such pairs never hold a cluster together).  Weights and
-- counts are summed over every pair first, without strings; kinds and
-- evidence (the strongest evidence_per_link identifiers, strongest first)
-- are gathered only for the pairs kept, and ranked only for the pairs that
-- share more than one identifier.
CREATE OR REPLACE TEMP TABLE graph_links AS
WITH linkable AS (
    SELECT m.aid, m.iid, m.buckets, len(m.buckets) AS n_buckets,
           -- every pair of its users can weigh something: an account-level kind, or apart > 0
           m.buckets IS NULL OR i.apart > 0 AS any_time
    FROM graph_memberships AS m
    JOIN graph_identifiers AS i ON i.iid = m.iid
    WHERE NOT m.is_hub
),
timed AS (   -- one row per (identifier, account, bucket): buckets are distinct per membership
    SELECT iid, aid, unnest(buckets) AS bucket FROM linkable WHERE buckets IS NOT NULL
),
together AS (   -- buckets two accounts share, by a hash join (list_intersect per pair cost 2/3 of the step)
    SELECT x.iid, x.aid AS aid_a, y.aid AS aid_b, count(*) AS together
    FROM timed AS x
    JOIN timed AS y ON y.iid = x.iid AND y.bucket = x.bucket AND x.aid < y.aid
    GROUP BY x.iid, x.aid, y.aid
),
pairs AS (
    -- identifiers any two of whose users are linked: every pair of users
    SELECT x.iid, x.aid AS aid_a, y.aid AS aid_b, x.buckets IS NOT NULL AS timed,
           coalesce(t.together, 0) AS together, least(x.n_buckets, y.n_buckets) AS quieter
    FROM linkable AS x
    JOIN linkable AS y ON y.iid = x.iid AND x.aid < y.aid
    LEFT JOIN together AS t ON t.iid = x.iid AND t.aid_a = x.aid AND t.aid_b = y.aid
    WHERE x.any_time
    UNION ALL
    -- identifiers that link only users active at the same time (apart = 0, e.g.
    -- addresses): only the pairs that shared a bucket, no quadratic self-join
    SELECT t.iid, t.aid_a, t.aid_b, TRUE, t.together, least(x.n_buckets, y.n_buckets)
    FROM together AS t
    JOIN linkable AS x ON x.iid = t.iid AND x.aid = t.aid_a
    JOIN linkable AS y ON y.iid = t.iid AND y.aid = t.aid_b
    WHERE NOT x.any_time
),
scored AS MATERIALIZED (
    SELECT p.aid_a, p.aid_b, p.iid,
           CASE WHEN p.together > 0 THEN p.together / p.quieter ELSE 0.0 END AS overlap,
           round(i.weight * CASE WHEN p.timed THEN i.apart + $co_occurrence_bonus * overlap ELSE 1.0 END
                 * 1000000)::BIGINT AS micro
    FROM pairs AS p
    JOIN graph_identifiers AS i ON i.iid = p.iid
),
kept AS MATERIALIZED (
    SELECT aid_a, aid_b, sum(micro)::BIGINT AS micro_weight, count(*) AS n_shared,
           count(*) FILTER (WHERE overlap > 0) AS n_co_occurring,
           any_value(iid) AS one_iid, any_value(overlap) AS one_overlap   -- the identifier, when it is the only one
    FROM scored
    GROUP BY aid_a, aid_b
    HAVING sum(micro) > 0 AND sum(micro) >= round($min_link_weight * 1000000)
),
ranked AS (   -- pairs sharing several identifiers: their kinds and strongest identifiers
    SELECT s.aid_a, s.aid_b,
           list(DISTINCT i.kind ORDER BY i.kind) AS kinds,
           max_by(
               struct_pack(kind := i.kind, value := i.value, weight := s.micro / 1000000.0,
                           overlap := round(s.overlap, 4)),
               (s.micro::HUGEINT << 32) + (4294967295 - s.iid),   -- strongest first, ties by identifier id
               $evidence_per_link
           ) AS evidence
    FROM scored AS s
    SEMI JOIN kept AS k ON k.aid_a = s.aid_a AND k.aid_b = s.aid_b AND k.n_shared > 1
    JOIN graph_identifiers AS i ON i.iid = s.iid
    GROUP BY s.aid_a, s.aid_b
)
-- most pairs share one identifier: it is their evidence, with no second pass over scored
SELECT k.aid_a, k.aid_b, k.micro_weight, k.micro_weight / 1000000.0 AS weight, k.n_shared, k.n_co_occurring,
       [i.kind] AS kinds,
       [struct_pack(kind := i.kind, value := i.value, weight := k.micro_weight / 1000000.0,
                    overlap := round(k.one_overlap, 4))] AS evidence
FROM kept AS k
JOIN graph_identifiers AS i ON i.iid = k.one_iid
WHERE k.n_shared = 1
UNION ALL
SELECT k.aid_a, k.aid_b, k.micro_weight, k.micro_weight / 1000000.0, k.n_shared, k.n_co_occurring,
       r.kinds, r.evidence
FROM kept AS k
JOIN ranked AS r ON r.aid_a = k.aid_a AND r.aid_b = k.aid_b;
