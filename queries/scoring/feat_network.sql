-- scoring/feat_network: datacenter, proxy and VPN share of the cluster’s requests (from ip_intel) and how many addresses and networks it uses.
-- inputs: member_requests, ip_intel
-- params: $anonymising_ip_types
-- Each address takes the type of the narrowest ip_intel range holding it;
-- addresses in no range have no type.  anonymised_share: requests from
-- addresses whose type is one of $anonymising_ip_types.  vpn_share counts vpn
-- and tor.
CREATE OR REPLACE TEMP TABLE feat_network AS
WITH addresses AS (
    SELECT cid, ip_version, ip_num, count(*) AS n
    FROM member_requests
    GROUP BY cid, ip_version, ip_num
),
typed AS (
    SELECT a.cid, a.ip_version, a.ip_num, a.n,
           arg_min(lower(i.ip_type), i.net_hi - i.net_lo) AS ip_type
    FROM addresses AS a
    LEFT JOIN ip_intel AS i
           ON i.ip_version = a.ip_version AND a.ip_num BETWEEN i.net_lo AND i.net_hi
    GROUP BY a.cid, a.ip_version, a.ip_num, a.n
),
prefixes AS (
    SELECT cid, count(DISTINCT ip_prefix) AS n_prefixes
    FROM member_requests
    GROUP BY cid
)
SELECT
    t.cid,
    count(*) AS n_ips,
    any_value(p.n_prefixes) AS n_prefixes,
    coalesce(sum(n) FILTER (WHERE ip_type = 'datacenter'), 0) / sum(n) AS datacenter_share,
    coalesce(sum(n) FILTER (WHERE ip_type = 'residential_proxy'), 0) / sum(n) AS proxy_share,
    coalesce(sum(n) FILTER (WHERE ip_type IN ('vpn', 'tor')), 0) / sum(n) AS vpn_share,
    coalesce(sum(n) FILTER (WHERE list_contains($anonymising_ip_types, ip_type)), 0) / sum(n) AS anonymised_share
FROM typed AS t
JOIN prefixes AS p USING (cid)
GROUP BY t.cid
