"""The account <-> identifier graph: edges per kind, hubs, rarity weights, time
co-occurrence and the account <-> account projection, on tiny worlds whose
answer is worked out by hand; and the SQL projection checked against networkx
on random bipartite graphs."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from networkx.algorithms import bipartite

from graphlink.config import Config, KindConfig
from graphlink.db import Database
from graphlink.errors import ConfigError
from graphlink.graph import build_graph, drop_graph_tables, to_igraph
from scoring_fixtures import Builder, at


@pytest.fixture
def db(tmp_path):
    with Database(tmp_path / "g.duckdb") as database:
        yield database


def _config(**graph) -> Config:
    """Defaults with the given graph settings; ``kinds`` entries replace default kinds."""
    config = Config()
    for key, value in graph.items():
        if key == "kinds":
            config.graph.kinds.update(value)
        else:
            setattr(config.graph, key, value)
    return config


def _only(*names: str, cap: int = 50) -> dict[str, KindConfig]:
    """Every kind disabled except *names* (default weights)."""
    kinds = Config().graph.kinds
    return {k: KindConfig(weight=v.weight, hub_cap=cap if k in names else v.hub_cap, enabled=k in names)
            for k, v in kinds.items()}


def _edges(db) -> set[tuple]:
    return set(db.execute(
        "SELECT account_id, kind, value, n_requests, first_seen, last_seen FROM graph_edges").fetchall())


def _links(db) -> dict[tuple[str, str], float]:
    rows = db.execute(
        "SELECT a.account_id, b.account_id, l.weight FROM graph_links l "
        "JOIN graph_accounts a ON a.aid = l.aid_a JOIN graph_accounts b ON b.aid = l.aid_b").fetchall()
    return {(a, b): w for a, b, w in rows}


# -- edges per kind ------------------------------------------------------------


def test_edges_of_every_kind_with_counts_and_times(db):
    w = Builder(db)
    w.account("a", at(-10), email_domain="Acme-Labs.io")
    w.account("b", at(-10), email_domain="gmail.com")        # public: never an identifier
    w.payment("a", "fp1", card_bin="411111")
    r1 = w.request("a", at(0, 1), ip="10.0.0.1", device="dev", template_id="T1")
    r2 = w.request("a", at(0, 3), ip="10.0.0.2", device=" ")   # blank device: missing
    db.execute("UPDATE requests SET api_key_id = 'key1' WHERE request_id IN ($a, $b)", {"a": r1, "b": r2})
    w.request("b", at(1), ip="2001:db8::1")
    build_graph(db, Config())
    assert _edges(db) == {
        ("a", "ip", "10.0.0.1", 1, at(0, 1), at(0, 1)),
        ("a", "ip", "10.0.0.2", 1, at(0, 3), at(0, 3)),
        ("a", "ip_prefix", "10.0.0.0/24", 2, at(0, 1), at(0, 3)),
        ("a", "device", "dev", 1, at(0, 1), at(0, 1)),
        ("a", "template", "T1", 1, at(0, 1), at(0, 1)),
        ("a", "api_key", "key1", 2, at(0, 1), at(0, 3)),
        ("a", "payment", "fp1", None, None, None),
        ("a", "card_bin", "411111", None, None, None),
        ("a", "email_domain", "acme-labs.io", None, at(-10), at(-10)),
        ("b", "ip", "2001:db8::1", 1, at(1), at(1)),
        ("b", "ip_prefix", "2001:db8::/64", 1, at(1), at(1)),
    }


def test_disabled_kinds_and_public_domains_from_config(db):
    w = Builder(db)
    for a in ("a", "b"):
        w.account(a, email_domain="corp.example")
        w.request(a, at(0), ip="10.0.0.1", device="dev")
    build_graph(db, _config(kinds=_only("device"), public_email_domains=["corp.example"]))
    assert {(k, v) for _, k, v, *_ in _edges(db)} == {("device", "dev")}


def test_mined_template_wins_over_upstream_id(db):
    w = Builder(db)
    w.account("a")
    rid = w.request("a", at(0), template_id="upstream-1")
    db.execute("UPDATE request_templates SET template_id = 'mined-7' WHERE request_id = $r", {"r": rid})
    w.request("a", at(1))
    db.execute("UPDATE requests SET prompt_template_id = 'upstream-2' WHERE request_id <> $r", {"r": rid})
    build_graph(db, _config(kinds=_only("template")))
    assert {v for _, _, v, *_ in _edges(db)} == {"mined-7", "upstream-2"}


def test_window_limits_requests_and_account_attributes(db):
    w = Builder(db)
    for a in ("in1", "in2", "out"):
        w.account(a)
        w.payment(a, "shared-card")
    w.request("in1", at(1), ip="10.0.0.1")
    w.request("in2", at(2), ip="10.0.0.1")
    w.request("in2", at(9), ip="10.0.0.9")      # after the window
    w.request("out", at(20), ip="10.0.0.1")     # after the window: not active in it
    result = build_graph(db, _config(kinds=_only("ip", "payment")), since=at(0), until=at(5))
    assert _edges(db) == {
        ("in1", "ip", "10.0.0.1", 1, at(1), at(1)),
        ("in2", "ip", "10.0.0.1", 1, at(2), at(2)),
        ("in1", "payment", "shared-card", None, None, None),
        ("in2", "payment", "shared-card", None, None, None),
    }
    assert result.n_accounts == 2
    drop_graph_tables(db)
    # Without a window every account counts, even one seen only in payments.
    w.payment("no-requests", "shared-card")
    build_graph(db, _config(kinds=_only("payment")))
    assert {a for a, *_ in _edges(db)} == {"in1", "in2", "out", "no-requests"}


# -- weights, hubs, co-occurrence ------------------------------------------------


def test_rarity_weight_and_hub_policy(db):
    w = Builder(db)
    for i in range(4):                       # 4 accounts on one IP: a hub when the cap is 3
        w.account(f"h{i}")
        w.request(f"h{i}", at(0, i), ip="10.9.9.9")
    for i in range(3):                       # 3 accounts on one device: weight 0.7 / ln 3
        w.account(f"d{i}")
        w.request(f"d{i}", at(0, i), ip=f"10.0.{i}.1", device="dev")
    config = _config(kinds={**_only("ip", "device"), "ip": KindConfig(weight=0.6, hub_cap=3)})
    result = build_graph(db, config)
    rows = db.execute("SELECT kind, value, degree, is_hub, weight FROM graph_identifiers ORDER BY kind").fetchall()
    assert rows == [("device", "dev", 3, False, pytest.approx(0.7 / math.log(3))),
                    ("ip", "10.9.9.9", 4, True, 0.0)]
    assert result.n_hubs == 1 and result.by_kind["ip"]["n_hubs"] == 1
    # 7 ip edges to 4 addresses (the hub and three used once), 3 device edges to one device
    assert {k: (v["n_edges"], v["n_identifiers"], v["n_shared"]) for k, v in result.by_kind.items()} == {
        "ip": (7, 4, 0), "device": (3, 1, 1)}
    assert result.by_kind["device"]["n_pairs"] == 3
    # The hub links nobody; the device links its 3 accounts pairwise.
    assert set(_links(db)) == {("d0", "d1"), ("d0", "d2"), ("d1", "d2")}


def test_same_hour_counts_double_months_apart_once(db):
    w = Builder(db)
    for a in ("p", "q", "r", "s"):
        w.account(a)
    w.request("p", at(0, 10, 5), ip="10.1.1.1")
    w.request("q", at(0, 10, 50), ip="10.1.1.1")        # same hour as p
    w.request("r", at(0, 10), ip="10.2.2.2")
    w.request("s", at(60, 10), ip="10.2.2.2")           # two months later
    build_graph(db, _config(kinds=_only("ip", "ip_prefix"), co_occurrence_minutes=60, co_occurrence_bonus=1.0))
    both = 0.6 / math.log(2) + 0.4 / math.log(2)        # the IP and its /24, each shared by 2
    assert _links(db) == {("p", "q"): pytest.approx(2 * both, abs=1e-5), ("r", "s"): pytest.approx(both, abs=1e-5)}
    drop_graph_tables(db)
    build_graph(db, _config(kinds=_only("ip", "ip_prefix"), co_occurrence_bonus=0.0))
    assert _links(db) == {("p", "q"): pytest.approx(both, abs=1e-5), ("r", "s"): pytest.approx(both, abs=1e-5)}
    # The defaults: an address shared months apart (reassigned) counts for nothing.
    drop_graph_tables(db)
    build_graph(db, Config())
    assert _links(db) == {("p", "q"): pytest.approx(both, abs=1e-5)}


def test_overlap_is_the_share_of_the_quieter_account_spent_together(db):
    # a uses the device in hours 0-3, b in hours 2-3 and 10: b's buckets are
    # {2, 3, 10}, 2 of them shared with a: overlap 2/3.  With apart 0.5 and
    # bonus 1 the device contributes 0.7 / ln 2 * (0.5 + 2/3).
    w = Builder(db)
    w.account("a")
    w.account("b")
    w.requests("a", [at(0, h) for h in range(4)], ip="10.0.0.1", device="dev")
    w.requests("b", [at(0, 2), at(0, 3, 30), at(0, 10)], ip="10.1.0.1", device="dev")
    kinds = _only("device")
    kinds["device"] = KindConfig(weight=0.7, hub_cap=50, apart=0.5)
    build_graph(db, _config(kinds=kinds, co_occurrence_bonus=1.0))
    assert _links(db) == {("a", "b"): pytest.approx(0.7 / math.log(2) * (0.5 + 2 / 3), abs=1e-5)}
    (evidence,), = db.execute("SELECT evidence FROM graph_links").fetchall()
    assert evidence[0]["overlap"] == pytest.approx(0.6667)


def test_link_evidence_strongest_first_and_capped(db):
    w = Builder(db)
    for a in ("a", "b"):
        w.account(a)
        w.payment(a, "card")
        w.request(a, at(0), ip="10.0.0.1", device="dev")
    build_graph(db, _config(evidence_per_link=2, co_occurrence_bonus=0.0))
    (n_shared, kinds, evidence), = db.execute("SELECT n_shared, kinds, evidence FROM graph_links").fetchall()
    assert n_shared == 4 and kinds == ["device", "ip", "ip_prefix", "payment"]
    # payment 1.0, device 0.7, ip 0.6, ip_prefix 0.4, all over ln 2: the two strongest.
    assert [(e["kind"], e["value"]) for e in evidence] == [("payment", "card"), ("device", "dev")]
    assert evidence[0]["weight"] == pytest.approx(1 / math.log(2), abs=1e-6)


def test_pairs_lighter_than_min_link_weight_are_no_link(db):
    # 8 accounts share one card BIN: every pair weighs 0.3 / ln 8 = 0.144.  Two of
    # them also share a device: that pair keeps the BIN in its weight and evidence.
    w = Builder(db)
    for i in range(8):
        w.account(f"a{i}")
        w.payment(f"a{i}", f"card{i}", card_bin="411111")
    w.request("a0", at(0), ip="10.0.0.1", device="dev")
    w.request("a1", at(5), ip="10.9.0.1", device="dev")      # another day: overlap 0
    kinds = _only("card_bin", "device")
    bin_pair = 0.3 / math.log(8)
    device_pair = 0.7 / math.log(2)                          # apart 1, no overlap
    build_graph(db, _config(kinds=kinds, min_link_weight=0.14))
    links = _links(db)
    assert len(links) == 8 * 7 // 2
    assert links[("a0", "a1")] == pytest.approx(bin_pair + device_pair, abs=1e-5)
    assert links[("a2", "a3")] == pytest.approx(bin_pair, abs=1e-5)
    drop_graph_tables(db)
    result = build_graph(db, _config(kinds=kinds, min_link_weight=0.15))
    assert _links(db) == {("a0", "a1"): pytest.approx(bin_pair + device_pair, abs=1e-5)}
    assert result.n_links == 1
    (kinds_of_link, evidence), = db.execute("SELECT kinds, evidence FROM graph_links").fetchall()
    assert kinds_of_link == ["card_bin", "device"]
    assert [e["kind"] for e in evidence] == ["device", "card_bin"]


def test_bad_graph_config_is_an_error(db):
    with pytest.raises(ConfigError, match="unknown kind"):
        build_graph(db, _config(kinds={"shoe_size": KindConfig()}))
    with pytest.raises(ConfigError, match="co_occurrence_minutes"):
        build_graph(db, _config(co_occurrence_minutes=0))
    with pytest.raises(ConfigError, match="min_link_weight"):
        build_graph(db, _config(min_link_weight=-0.5))


def test_hand_off_to_igraph_uses_sql_ids(db):
    w = Builder(db)
    for a in ("z", "y", "x"):
        w.account(a)
        w.request(a, at(0), ip="10.0.0.1")
    w.account("w")
    w.request("w", at(0), ip="10.0.0.2", device="d")
    w.request("x", at(0), ip="10.0.0.3", device="d")
    build_graph(db, _config(kinds=_only("ip", "device")))
    g = to_igraph(db, Config())
    ids = dict(db.execute("SELECT aid, account_id FROM graph_accounts").fetchall())
    assert ids == {0: "w", 1: "x", 2: "y", 3: "z"}
    assert sorted(tuple(sorted((ids[e.source], ids[e.target]))) for e in g.es) == [
        ("w", "x"), ("x", "y"), ("x", "z"), ("y", "z")]
    assert g.es["weight"][0] == pytest.approx(0.7 / math.log(2) * 2, abs=1e-5)  # w-x on the device, same hour


# -- the projection against networkx -----------------------------------------------


def _random_world(db, seed: int, n_accounts: int = 40, n_identifiers: int = 30):
    """Random bipartite accounts x devices / payments; returns the networkx bipartite graph."""
    rng = np.random.default_rng(seed)
    w = Builder(db)
    B = nx.Graph()
    accounts = [f"acct{i:03d}" for i in range(n_accounts)]
    for a in accounts:
        w.account(a)
        B.add_node(a, bipartite=0)
    for j in range(n_identifiers):
        kind = "device" if j % 2 else "payment"
        degree = int(rng.choice([1, 2, 3, 5, 8, 12]))
        for a in rng.choice(accounts, size=degree, replace=False):
            ident = (kind, f"{kind}{j}")
            B.add_node(ident, bipartite=1)
            B.add_edge(a, ident)
            if kind == "payment":
                w.payment(a, ident[1])
            else:
                w.request(a, at(int(rng.integers(0, 30))), ip=f"10.{j}.{int(rng.integers(0, 250))}.1", device=ident[1])
    return B, accounts


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_projection_and_components_match_networkx(db, seed):
    B, accounts = _random_world(db, seed)
    cap = 8
    kinds = _only("device", "payment", cap=cap)
    config = _config(kinds=kinds, co_occurrence_bonus=0.0)
    build_graph(db, config)

    def weight(G, u, v):
        total = 0.0
        for ident in set(G[u]) & set(G[v]):
            d = G.degree(ident)
            if d <= cap:
                total += kinds[ident[0]].weight / math.log(d)
        return total

    P = bipartite.generic_weighted_projected_graph(B, accounts, weight_function=weight)
    P.remove_edges_from([(u, v) for u, v, d in P.edges(data=True) if d["weight"] == 0])
    expected = {tuple(sorted((u, v))): d["weight"] for u, v, d in P.edges(data=True)}
    got = _links(db)
    assert set(got) == set(expected)
    for pair, value in expected.items():
        assert got[pair] == pytest.approx(value, abs=1e-5)

    # Components of the igraph hand-off equal networkx's on the projection.
    g = to_igraph(db, config)
    ids = dict(db.execute("SELECT aid, account_id FROM graph_accounts").fetchall())
    ours = {frozenset(ids[v] for v in comp) for comp in g.connected_components() if len(comp) > 1}
    theirs = {frozenset(c) for c in nx.connected_components(P) if len(c) > 1}
    assert ours == theirs
