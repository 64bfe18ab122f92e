"""Every benign look-alike and every campaign style has the property the generator promises.

One world of 3,000 accounts over 28 days is generated once (under a second)
and queried with DuckDB.  Address roles are read from the address text, not
from the generator: 10.0/9 home, 10.128/10 residential proxy, 10.192/10
campus, 100.64/10 mobile carrier NAT, 172.16/12 cloud, 192.168/16 corporate,
198.18/15 VPN, IPv6 home.
"""

from __future__ import annotations

import itertools

import duckdb
import pytest

from graphlink.config import GraphConfig
from graphlink.synth import generate
from graphlink.synth.spec import BENCHMARK_TEMPLATES, COUNTRIES, OPENERS, PUBLIC_TEMPLATES

PUBLIC_DOMAINS = set(GraphConfig().public_email_domains)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    out = tmp_path_factory.mktemp("world")
    generate(out, accounts=3000, days=28, seed=2024, fmt="parquet")
    c = duckdb.connect()
    for name in ("accounts", "payment_methods", "ip_intel"):
        c.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{out / name}.parquet')")
    c.execute(f"CREATE VIEW labels AS SELECT * FROM read_parquet('{out}/truth/labels.parquet')")
    c.execute(f"CREATE TABLE requests AS SELECT * FROM read_parquet('{out}/requests/*.parquet')")
    c.execute("""
        CREATE MACRO ip_role(ip) AS CASE
            WHEN ip LIKE '%:%' THEN 'home6'
            WHEN ip LIKE '10.%' AND CAST(split_part(ip, '.', 2) AS INT) < 128 THEN 'home'
            WHEN ip LIKE '10.%' AND CAST(split_part(ip, '.', 2) AS INT) < 192 THEN 'proxy'
            WHEN ip LIKE '10.%' THEN 'campus'
            WHEN ip LIKE '100.%' THEN 'mobile'
            WHEN ip LIKE '172.%' THEN 'cloud'
            WHEN ip LIKE '192.168.%' THEN 'corporate'
            WHEN ip LIKE '198.18.%' OR ip LIKE '198.19.%' THEN 'vpn' END""")
    c.execute("CREATE TABLE r AS SELECT r.*, l.group_kind, l.group_id, l.campaign_id, ip_role(ip) AS role "
              "FROM requests r JOIN labels l USING (account_id)")
    yield c
    c.close()


def rows(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()


def one(con, sql, params=None):
    return con.execute(sql, params or []).fetchone()


def campaigns(con, style):
    ids = [r[0] for r in rows(con, "SELECT DISTINCT campaign_id FROM labels WHERE group_kind = ? ORDER BY 1", [style])]
    assert ids, f"no {style} campaign in the world"
    return ids


# -- the world as a whole ----------------------------------------------------------


def test_every_kind_and_style_is_present(con):
    kinds = {r[0] for r in rows(con, "SELECT DISTINCT group_kind FROM r")}
    assert kinds == {
        "individual", "ipv6", "cgnat", "vpn", "public_template", "family", "personal_work", "enterprise",
        "campus", "researcher", "app_relay", "loadbal", "shift", "stealth", "reseller", "sweep",
    }


def test_common_client_fingerprints_are_shared_by_many(con):
    # A common browser / SDK fingerprint is shared by a large part of the benign accounts.
    active, top = one(con, """
        SELECT (SELECT count(DISTINCT account_id) FROM r WHERE campaign_id IS NULL),
               max(n) FROM (SELECT device_fingerprint, count(DISTINCT account_id) AS n FROM r
                            WHERE campaign_id IS NULL GROUP BY 1)""")
    assert top >= 0.1 * active


def test_benign_activity_follows_the_local_day(con):
    # Individuals: requests per local hour (UTC hour + the country's offset) at night are a
    # fraction of those in the afternoon.
    con.execute("CREATE OR REPLACE TEMP TABLE tz (country VARCHAR, tz INT)")
    con.executemany("INSERT INTO tz VALUES (?, ?)", [(c, o) for c, o, _ in COUNTRIES])
    night, afternoon = one(con, """
        SELECT count(*) FILTER (WHERE lh BETWEEN 2 AND 5), count(*) FILTER (WHERE lh BETWEEN 14 AND 17)
        FROM (SELECT ((hour(r.ts) + tz.tz + 24) % 24) AS lh
              FROM r JOIN accounts a USING (account_id) JOIN tz USING (country)
              WHERE r.group_kind IN ('individual', 'ipv6', 'public_template'))""")
    assert night < 0.25 * afternoon


def test_campaigns_also_send_ordinary_prompts(con):
    openers = [o + " " for o in OPENERS]
    for style in ("loadbal", "shift", "stealth", "reseller", "sweep"):
        total, organic = one(con, """
            SELECT count(*), count(*) FILTER (WHERE len(list_filter($openers, lambda o: starts_with(prompt, o))) > 0)
            FROM r WHERE group_kind = $style""", {"openers": openers, "style": style})
        assert 0.02 * total <= organic <= 0.6 * total, style


def test_distillation_asks_for_long_completions(con):
    benign, distill = one(con, """
        SELECT median(completion_tokens) FILTER (WHERE group_kind = 'individual'),
               median(completion_tokens) FILTER (WHERE campaign_id IS NOT NULL) FROM r""")
    assert distill > 3 * benign


# -- benign look-alikes ---------------------------------------------------------------


def test_individual_home_ips_change_over_time(con):
    # Individuals active over two weeks or more on their home line mostly use more than one address.
    changed, total = one(con, """
        SELECT count(*) FILTER (WHERE ips > 1), count(*) FROM (
            SELECT account_id, count(DISTINCT ip) AS ips FROM r
            WHERE group_kind = 'individual' AND role = 'home'
            GROUP BY 1 HAVING count(*) >= 4 AND max(ts) - min(ts) >= INTERVAL 14 DAY)""")
    assert total >= 20
    assert changed >= 0.5 * total
    # ... and a home address belongs to one household: shared by at most a couple of accounts.
    assert one(con, "SELECT max(n) FROM (SELECT ip, count(DISTINCT account_id) n FROM r "
                    "WHERE group_kind = 'individual' AND role = 'home' GROUP BY 1)")[0] <= 2


def test_ipv6_users_get_a_new_address_per_request_inside_one_64(con):
    per_account = rows(con, """
        SELECT account_id, count(*), count(DISTINCT ip),
               count(DISTINCT array_to_string(string_split(ip, ':')[1:4], ':'))
        FROM r WHERE group_kind = 'ipv6' AND role = 'home6' GROUP BY 1""")
    assert len(per_account) >= 50
    for account, n, ips, prefixes in per_account:
        assert ips == n, account
        assert prefixes == 1, account


@pytest.mark.parametrize("role,min_median", [("mobile", 50), ("vpn", 20)])
def test_carrier_nat_and_vpn_exits_are_shared_by_many(con, role, min_median):
    median, n_ips = one(con, """
        SELECT median(n), count(*) FROM (SELECT ip, count(DISTINCT account_id) AS n FROM r
                                         WHERE role = ? GROUP BY 1)""", [role])
    assert n_ips >= 2
    assert median >= min_median


def test_public_templates_are_used_by_many_unrelated_accounts(con):
    for template in PUBLIC_TEMPLATES:
        head = template.split("<<1>>")[0]
        accounts, groups, kinds = one(con, """
            SELECT count(DISTINCT account_id), count(DISTINCT coalesce(group_id, account_id)),
                   count(DISTINCT group_kind)
            FROM r WHERE starts_with(prompt, ?)""", [head])
        assert accounts >= 15, head
        assert groups >= 0.8 * accounts, head
        assert kinds >= 3, head


def test_families_share_one_card_and_one_home(con):
    fams = rows(con, """
        SELECT l.group_id, count(DISTINCT l.account_id), count(DISTINCT p.payment_fingerprint),
               count(p.payment_fingerprint)
        FROM labels l LEFT JOIN payment_methods p USING (account_id)
        WHERE l.group_kind = 'family' GROUP BY 1""")
    assert len(fams) >= 10
    for group, members, cards, links in fams:
        assert members >= 2 and cards == 1 and links == members, group
    # members active on their home line use the same addresses
    spread = rows(con, """
        SELECT group_id, count(DISTINCT account_id), count(DISTINCT ip) FILTER (WHERE day = first_day)
        FROM (SELECT *, CAST(ts AS DATE) AS day, min(CAST(ts AS DATE)) OVER (PARTITION BY group_id) AS first_day
              FROM r WHERE group_kind = 'family' AND role = 'home')
        GROUP BY 1 HAVING count(DISTINCT account_id) FILTER (WHERE day = first_day) >= 2""")
    for group, _members, ips_that_day in spread:
        assert ips_that_day == 1, group


def test_personal_and_work_accounts_share_device_and_home(con):
    pairs = rows(con, """
        SELECT group_id, list(DISTINCT email_domain ORDER BY email_domain),
               count(DISTINCT device_fingerprint) FILTER (WHERE user_agent NOT LIKE '%Mobile%'),
               count(DISTINCT account_id)
        FROM labels JOIN accounts USING (account_id) LEFT JOIN r USING (account_id, group_id)
        WHERE labels.group_kind = 'personal_work' GROUP BY 1""")
    assert len(pairs) >= 20
    for group, domains, devices, _ in pairs:
        assert len(domains) == 2, group
        assert sum(d in PUBLIC_DOMAINS for d in domains) == 1, (group, domains)
        assert devices <= 1, group  # the same laptop for both accounts
    shared = one(con, """
        SELECT count(*) FROM (SELECT group_id FROM r WHERE group_kind = 'personal_work' AND role = 'home'
                              GROUP BY group_id, ip HAVING count(DISTINCT account_id) = 2)""")[0]
    assert shared >= 5


def test_enterprise_accounts_share_an_invoice_org_domain_egress_and_template(con):
    orgs = rows(con, """
        SELECT l.group_id, count(DISTINCT l.account_id), count(DISTINCT p.payment_fingerprint),
               list(DISTINCT p.method_type), count(DISTINCT a.org_id), count(DISTINCT a.email_domain)
        FROM labels l JOIN accounts a USING (account_id) JOIN payment_methods p USING (account_id)
        WHERE l.group_kind = 'enterprise' GROUP BY 1""")
    assert len(orgs) >= 3
    for group, members, invoices, types, org_ids, domains in orgs:
        assert members >= 10, group
        assert invoices == 1 and types == ["invoice"] and org_ids == 1 and domains == 1, group
    for group, egress, members, top_prefix_share in rows(con, """
            SELECT group_id, count(DISTINCT ip) FILTER (WHERE role = 'corporate'),
                   count(DISTINCT account_id), max(share) FROM (
                SELECT *, count(*) OVER (PARTITION BY group_id, prompt[1:40]) / count(*) OVER (PARTITION BY group_id) AS share
                FROM r WHERE group_kind = 'enterprise') GROUP BY 1"""):
        assert 1 <= egress <= 6, group
        assert top_prefix_share >= 0.35, group  # the internal template


def test_campus_accounts_sit_behind_a_few_nat_addresses(con):
    campuses = rows(con, """
        SELECT group_id, count(DISTINCT ip), count(DISTINCT account_id) FROM r
        WHERE group_kind = 'campus' AND role = 'campus' GROUP BY 1""")
    assert campuses
    for group, ips, accounts in campuses:
        assert ips <= 6 and accounts >= 5 * ips, group


def test_researchers_run_step_by_step_benchmarks_from_cloud_at_volume(con):
    heads = [t.split("<<1>>")[0] for t in BENCHMARK_TEMPLATES]
    share_bench, share_cloud, per_account = one(con, """
        SELECT avg(CASE WHEN len(list_filter($heads, lambda h: starts_with(prompt, h))) > 0 THEN 1 ELSE 0 END),
               avg(CASE WHEN role = 'cloud' THEN 1 ELSE 0 END),
               count(*) / count(DISTINCT account_id)
        FROM r WHERE group_kind = 'researcher'""", {"heads": heads})
    individual = one(con, "SELECT count(*) / count(DISTINCT account_id) FROM r WHERE group_kind = 'individual'")[0]
    assert share_bench >= 0.7
    assert share_cloud == 1.0
    assert per_account >= 10 * individual
    assert one(con, "SELECT avg(CASE WHEN prompt ILIKE '%step by step%' THEN 1 ELSE 0 END) FROM r "
                    "WHERE group_kind = 'researcher'")[0] >= 0.6


def test_app_relays_send_one_template_from_cloud(con):
    for group, top_share, cloud in rows(con, """
            SELECT group_id, max(share), min(cloud) FROM (
                SELECT group_id, role = 'cloud' AS cloud,
                       count(*) OVER (PARTITION BY group_id, prompt[1:30]) / count(*) OVER (PARTITION BY group_id) AS share
                FROM r WHERE group_kind = 'app_relay') GROUP BY 1"""):
        assert top_share >= 0.9, group
        assert cloud, group


# -- campaign styles ----------------------------------------------------------------------


def test_loadbal_bursts_virtual_cards_few_bins_proxies_one_client(con):
    for cid in campaigns(con, "loadbal"):
        span, n = one(con, "SELECT max(created_at) - min(created_at), count(*) FROM accounts JOIN labels "
                           "USING (account_id) WHERE campaign_id = ?", [cid])
        assert n >= 12 and span.total_seconds() <= 4 * 3600, cid
        types, bins = one(con, "SELECT list(DISTINCT method_type), count(DISTINCT card_bin) FROM payment_methods "
                               "JOIN labels USING (account_id) WHERE campaign_id = ?", [cid])
        assert set(types) <= {"virtual_card", "prepaid"} and bins <= 3, cid
        roles, devices = one(con, "SELECT list(DISTINCT role), count(DISTINCT device_fingerprint) FROM r "
                                  "WHERE campaign_id = ?", [cid])
        cv = one(con, "SELECT stddev_pop(n) / avg(n) FROM (SELECT account_id, count(*) AS n FROM r "
                      "WHERE campaign_id = ? GROUP BY 1)", [cid])[0]
        assert roles == ["proxy"] and devices == 1, cid
        assert cv <= 0.25, cid  # load-balanced: every account carries about the same load
        outside = one(con, "SELECT count(DISTINCT account_id) FROM r WHERE campaign_id IS DISTINCT FROM ? AND "
                           "device_fingerprint IN (SELECT device_fingerprint FROM r WHERE campaign_id = ?)", [cid, cid])[0]
        assert outside == 0, cid


def test_shift_distinct_cards_varied_tiers_rotating_cloud_ips_in_shifts(con):
    for cid in campaigns(con, "shift"):
        cards, links, tiers = one(con, """
            SELECT count(DISTINCT payment_fingerprint), count(*), count(DISTINCT tier)
            FROM labels JOIN accounts USING (account_id) JOIN payment_methods USING (account_id)
            WHERE campaign_id = ?""", [cid])
        assert cards == links and tiers >= 2, cid
        roles, account_days, account_ips = one(con, """
            SELECT list(DISTINCT role), count(DISTINCT (account_id, CAST(ts AS DATE))), count(DISTINCT (account_id, ip))
            FROM r WHERE campaign_id = ?""", [cid])
        assert roles == ["cloud"], cid
        assert account_ips >= 0.9 * account_days, cid  # a new address every day
        windows = set()
        for account, hours in rows(con, "SELECT account_id, list(DISTINCT hour(ts)) FROM r WHERE campaign_id = ? "
                                        "GROUP BY 1", [cid]):
            starts = [s for s in range(24) if all((h - s) % 24 < 8 for h in hours)]
            assert starts, (cid, account, sorted(hours))  # every request inside one 8-hour shift
            windows.add(min(starts))
        assert len(windows) <= 4, cid  # a few teams, each working the same shift


def test_stealth_shares_no_card_ip_or_device_only_domain_scaffold_and_timing(con):
    for cid in campaigns(con, "stealth"):
        members = [r[0] for r in rows(con, "SELECT account_id FROM labels WHERE campaign_id = ?", [cid])]
        for column, table in (("payment_fingerprint", "payment_methods"), ("ip", "requests"),
                              ("device_fingerprint", "requests")):
            shared = one(con, f"SELECT count(*) FROM (SELECT {column} FROM {table} WHERE account_id IN "
                              f"(SELECT account_id FROM labels WHERE campaign_id = ?) GROUP BY 1 "
                              f"HAVING count(DISTINCT account_id) > 1)", [cid])[0]
            assert shared == 0, (cid, column)
        domains = [r[0] for r in rows(con, "SELECT DISTINCT email_domain FROM accounts JOIN labels USING (account_id) "
                                           "WHERE campaign_id = ?", [cid])]
        assert len(domains) == 1 and domains[0] not in PUBLIC_DOMAINS, cid
        assert one(con, "SELECT count(*) FROM accounts JOIN labels USING (account_id) WHERE email_domain = ? "
                        "AND label = 'benign'", [domains[0]])[0] == 0
        # lockstep: most requests of one account have one of another account within a minute
        for a, b in itertools.combinations(members, 2):
            total, matched = one(con, """
                SELECT count(*), count(*) FILTER (WHERE EXISTS (
                    SELECT 1 FROM requests y WHERE y.account_id = $b AND abs(epoch(y.ts) - epoch(x.ts)) <= 60))
                FROM requests x WHERE x.account_id = $a""", {"a": a, "b": b})
            assert total >= 50 and matched >= 0.6 * total, (cid, a, b)
        # paraphrases: each account words the fixed scaffold its own way, with shared wording
        openings = [set(r[0].lower().split()) for r in rows(con, """
            SELECT mode(split_part(prompt, chr(10) || chr(10), 1)) FROM requests
            WHERE account_id IN (SELECT account_id FROM labels WHERE campaign_id = ?) GROUP BY account_id""", [cid])]
        assert len({frozenset(o) for o in openings}) >= 2, cid
        for x, y in itertools.combinations(openings, 2):
            assert len(x & y) / len(x | y) >= 0.3, cid


def test_reseller_mixes_relayed_distillation_with_customer_prompts(con):
    for cid in campaigns(con, "reseller"):
        total, scaffold, public = one(con, """
            SELECT count(*), count(*) FILTER (WHERE prompt ILIKE '%step-by-step%' OR prompt ILIKE '%step by step%'),
                   count(*) FILTER (WHERE list_contains($heads, prompt[1:20]))
            FROM r WHERE campaign_id = $cid""", {"cid": cid, "heads": [t[:20] for t in PUBLIC_TEMPLATES]})
        assert 0.25 * total <= scaffold <= 0.7 * total, cid
        assert public >= 0.1 * total, cid


def test_sweep_accounts_are_short_lived_banned_and_replaced(con):
    for cid in campaigns(con, "sweep"):
        accts = rows(con, """
            SELECT a.account_id, a.created_at, a.banned_at, a.status, min(r.ts), max(r.ts),
                   count(DISTINCT r.device_fingerprint)
            FROM accounts a JOIN labels USING (account_id) LEFT JOIN requests r USING (account_id)
            WHERE campaign_id = ? GROUP BY ALL ORDER BY a.created_at""", [cid])
        banned = [a for a in accts if a[3] == "banned"]
        assert len(banned) >= 3, cid
        for account, created, banned_at, _status, first, last, _ in banned:
            assert banned_at > created
            if last is not None:
                assert last < banned_at, account  # nothing after the ban
                assert (last - first).days <= 6, account  # short-lived
        # every ban is followed by new accounts of the campaign signing up
        created_all = sorted(a[1] for a in accts)
        for *_, banned_at, _s, _f, _l, _d in banned[:-1]:
            later = [c for c in created_all if c > banned_at]
            assert later, cid
        devices = one(con, "SELECT count(DISTINCT device_fingerprint) FROM r WHERE campaign_id = ?", [cid])[0]
        assert devices == 1, cid  # the same tool across generations
        # scaffolds repeat their opening; organic prompts (random words after an opener) do not
        techniques = one(con, "SELECT count(*) FROM (SELECT prompt[1:40] FROM r WHERE campaign_id = ? "
                              "GROUP BY 1 HAVING count(*) >= 10)", [cid])[0]
        assert techniques >= 3, cid  # the technique changes from generation to generation
