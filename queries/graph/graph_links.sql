-- graph/graph_links: the account <-> account projection: every pair of accounts sharing a non-hub identifier, its weight and evidence.
-- inputs: graph_memberships, graph_identifiers
-- params: $co_occurrence_bonus, $evidence_per_link
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
-- Pairs whose weight is 0 (they shared only addresses, never at the same
-- time) are no link.  evidence: the strongest evidence_per_link
-- identifiers, strongest first.
CREATE OR REPLACE TEMP TABLE graph_links AS
WITH linkable AS (
    SELECT aid, iid, buckets FROM graph_memberships WHERE NOT is_hub
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
    SELECT x.iid, x.aid AS aid_a, y.aid AS aid_b,
           x.buckets IS NOT NULL AS timed,
           coalesce(t.together, 0) AS together,
           len(x.buckets) AS size_a, len(y.buckets) AS size_b
    FROM linkable AS x
    JOIN linkable AS y ON y.iid = x.iid AND x.aid < y.aid
    LEFT JOIN together AS t ON t.iid = x.iid AND t.aid_a = x.aid AND t.aid_b = y.aid
),
scored AS (
    SELECT p.aid_a, p.aid_b, p.iid, i.kind, i.value,
           CASE WHEN p.together > 0 THEN p.together / least(p.size_a, p.size_b) ELSE 0.0 END AS overlap,
           round(i.weight * CASE WHEN p.timed THEN i.apart + $co_occurrence_bonus * overlap ELSE 1.0 END
                 * 1000000)::BIGINT AS micro
    FROM pairs AS p
    JOIN graph_identifiers AS i ON i.iid = p.iid
)
SELECT
    aid_a,
    aid_b,
    sum(micro)::BIGINT AS micro_weight,
    sum(micro) / 1000000.0 AS weight,
    count(*) AS n_shared,
    count(*) FILTER (WHERE overlap > 0) AS n_co_occurring,
    list(DISTINCT kind ORDER BY kind) AS kinds,
    max_by(
        struct_pack(kind := kind, value := value, weight := micro / 1000000.0, overlap := round(overlap, 4)),
        (micro::HUGEINT << 32) + (4294967295 - iid),   -- strongest first, ties by identifier id
        $evidence_per_link
    ) AS evidence
FROM scored
GROUP BY aid_a, aid_b
HAVING sum(micro) > 0;
