-- scoring/feat_lockstep: lockstep timing across members (CopyCatch / SynchroTrap style): are members active in the same narrow windows more often than chance?
-- inputs: member_requests
-- params: $bucket_minutes, $stratum_minutes, $prior
-- Time is cut into buckets of $bucket_minutes inside strata of
-- $stratum_minutes (B = stratum / bucket buckets per stratum).  Observed: the
-- number of member pairs active in the same bucket, summed over buckets.
-- Expected by chance: if each member spread its a_is active buckets of
-- stratum s at random, a pair would share a_is * a_js / B of them, so
-- expected = sum over strata of ((sum_i a_is)^2 - sum_i a_is^2) / (2 B).
-- Conditioning on the stratum (the hour) removes daily rhythms: people active
-- in the same evening are not in lockstep, scripts firing in the same five
-- minutes are.  lockstep_lift = (observed + prior) / (expected + prior); the
-- prior keeps a handful of coincidences in a small group near 1.
CREATE OR REPLACE TEMP TABLE feat_lockstep AS
WITH active AS (
    SELECT DISTINCT cid, mid,
           time_bucket(to_minutes(CAST($bucket_minutes AS BIGINT)), ts) AS bucket
    FROM member_requests
),
stratified AS (
    SELECT *, time_bucket(to_minutes(CAST($stratum_minutes AS BIGINT)), bucket) AS stratum
    FROM active
),
per_bucket AS (
    SELECT cid, bucket, count(*) AS k FROM stratified GROUP BY cid, bucket
),
observed AS (
    SELECT cid, sum(k * (k - 1) / 2.0) AS o FROM per_bucket GROUP BY cid
),
per_member_stratum AS (
    SELECT cid, stratum, mid, count(*) AS a
    FROM stratified
    GROUP BY cid, stratum, mid
),
per_stratum AS (
    SELECT cid, stratum, sum(a) AS sa, sum(a * a) AS sa2
    FROM per_member_stratum
    GROUP BY cid, stratum
),
expected AS (
    SELECT cid,
           sum(sa * sa - sa2) / (2.0 * $stratum_minutes / $bucket_minutes) AS e
    FROM per_stratum
    GROUP BY cid
)
SELECT
    o.cid,
    o.o AS lockstep_observed,
    e.e AS lockstep_expected,
    (o.o + $prior) / (e.e + $prior) AS lockstep_lift
FROM observed AS o
JOIN expected AS e USING (cid)
