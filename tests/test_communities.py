"""Communities: hand-built worlds whose clusters are worked out by hand, igraph's
Leiden and components checked against networkx on random graphs, determinism
and canonical ids."""

from __future__ import annotations

import random

import igraph
import networkx as nx
import numpy as np
import pytest

from graphlink.communities import components, leiden
from graphlink.config import CommunityConfig, Config, KindConfig
from graphlink.db import Database
from graphlink.pipeline import detect
from scoring_fixtures import Builder, at


@pytest.fixture
def db(tmp_path):
    with Database(tmp_path / "c.duckdb") as database:
        yield database


def _clusters(db, run_id: int) -> dict[str, set[str]]:
    rows = db.execute("SELECT cluster_id, account_id FROM run_members WHERE run_id = $r", {"r": run_id}).fetchall()
    out: dict[str, set[str]] = {}
    for cid, account in rows:
        out.setdefault(cid, set()).add(account)
    return out


def _hubs(db, run_id: int) -> set[tuple[str, str, int]]:
    return set(db.execute("SELECT kind, value, degree FROM run_hubs WHERE run_id = $r", {"r": run_id}).fetchall())


# -- hand-built worlds ---------------------------------------------------------------


def _ring(w: Builder, name: str, size: int, *, hub_ip: str) -> list[str]:
    """*size* accounts sharing a card and a device; each also visits *hub_ip* once."""
    members = [f"{name}{i}" for i in range(1, size + 1)]
    for k, a in enumerate(members):
        w.account(a)
        w.payment(a, f"card-{name}")
        w.request(a, at(k), ip=f"172.16.{ord(name)}.{k + 1}", device=f"dev-{name}")
        w.request(a, at(k, 12), ip=hub_ip)
    return members


def _strangers(w: Builder, n: int, *, ip: str, prefix: str = "s") -> list[str]:
    """*n* unrelated accounts behind one shared address, each with its own device and home address."""
    out = []
    for i in range(n):
        a = f"{prefix}{i:03d}"
        w.account(a)
        w.request(a, at(i % 7, i % 24), ip=ip, device=f"own-{a}")
        w.request(a, at(i % 7, 1), ip=f"198.{18 + i // 250}.{i % 250}.1", device=f"own-{a}")
        out.append(a)
    return out


def test_two_rings_sharing_a_hub_ip_stay_two_clusters(db):
    # Ring a and ring b (4 accounts each: one card, one device) both use
    # 100.64.0.1, as do 50 strangers: 58 accounts > the IP hub cap of 50, so
    # the IP and its /24 are hubs and link nobody.  What is left are two
    # disjoint 4-cliques whose links (card + device) weigh far above the CPM
    # resolution: two clusters, named after their smallest members.
    w = Builder(db)
    ring_a = _ring(w, "a", 4, hub_ip="100.64.0.1")
    ring_b = _ring(w, "b", 4, hub_ip="100.64.0.1")
    _strangers(w, 50, ip="100.64.0.1")
    run = detect(db, Config())
    assert _clusters(db, run.run_id) == {"C-a1": set(ring_a), "C-b1": set(ring_b)}
    assert {("ip", "100.64.0.1", 58), ("ip_prefix", "100.64.0.0/24", 58)} <= _hubs(db, run.run_id)
    # The hub is still shown as evidence of each cluster, flagged as a hub.
    evidence = db.execute(
        "SELECT cluster_id, kind, n_accounts, degree, is_hub FROM run_evidence "
        "WHERE run_id = $r AND kind = 'ip' ORDER BY cluster_id", {"r": run.run_id}).fetchall()
    assert evidence == [("C-a1", "ip", 4, 58, True), ("C-b1", "ip", 4, 58, True)]


def test_without_the_hub_cap_the_hub_ip_would_link_the_rings(db):
    # The same world with the IP caps raised above 58: the hub now links
    # every pair of its 58 accounts, so rings and strangers are one component.
    w = Builder(db)
    _ring(w, "a", 4, hub_ip="100.64.0.1")
    _ring(w, "b", 4, hub_ip="100.64.0.1")
    _strangers(w, 50, ip="100.64.0.1")
    config = Config()
    config.graph.kinds["ip"] = KindConfig(weight=0.6, hub_cap=1000)
    config.graph.kinds["ip_prefix"] = KindConfig(weight=0.4, hub_cap=1000)
    run = detect(db, config)
    assert run.graph.n_hubs == 0
    assert run.communities.largest_component == 58


def test_a_cgnat_address_does_not_merge_strangers(db):
    # 120 strangers behind one carrier-grade NAT address, many in the same
    # hour, nothing else in common: the address and its /24 are hubs, so
    # there is no link and no cluster.
    w = Builder(db)
    _strangers(w, 120, ip="100.72.0.9")
    run = detect(db, Config())
    assert _clusters(db, run.run_id) == {}
    assert run.graph.n_links == 0
    assert _hubs(db, run.run_id) == {("ip", "100.72.0.9", 120), ("ip_prefix", "100.72.0.0/24", 120)}


def test_an_ipv6_64_links_an_account_that_never_reuses_an_address(db):
    # r1, r2 share a device and each keep one address in 2001:db8:7:1::/64.
    # v uses a fresh address of the same /64 for every request: no address
    # of v is shared (every ip has degree 1), but the /64 is (degree 3), so v
    # is linked to both and joins their cluster.  u rotates inside another
    # /64 that nobody else uses: no cluster.
    w = Builder(db)
    for a in ("r1", "r2", "u", "v"):
        w.account(a)
    w.requests("r1", [at(0, h) for h in range(3)], ip="2001:db8:7:1::a", device="dev-r")
    w.requests("r2", [at(0, h) for h in range(3)], ip="2001:db8:7:1::b", device="dev-r")
    for k in range(6):
        w.request("v", at(0, k), ip=f"2001:db8:7:1:{k + 1:x}::{k + 100:x}", device="dev-v")
        w.request("u", at(0, k), ip=f"2001:db8:9:1::{k + 1:x}", device="dev-u")
    run = detect(db, Config())
    assert _clusters(db, run.run_id) == {"C-r1": {"r1", "r2", "v"}}
    ip_degrees = db.execute(
        "SELECT max(degree) FROM run_edges WHERE run_id = $r AND account_id = 'v' AND kind = 'ip'",
        {"r": run.run_id}).fetchall()[0]
    assert ip_degrees == (None,)  # none of v's addresses is shared
    evidence = db.execute(
        "SELECT kind, value, n_accounts FROM run_evidence WHERE run_id = $r AND cluster_id = 'C-r1' "
        "ORDER BY kind", {"r": run.run_id}).fetchall()
    assert evidence == [("device", "dev-r", 2), ("ip_prefix", "2001:db8:7:1::/64", 3)]


def test_canonical_ids_do_not_depend_on_load_order(tmp_path):
    def world(db, order):
        w = Builder(db)
        for a in order:
            w.account(a)
            w.payment(a, "card-1" if a.startswith("m") else "card-2")
            w.request(a, at(0), ip=f"10.{order.index(a) + 1}.0.1")
        return detect(db, Config()).run_id

    members = ["m3", "m1", "m2", "n2", "n1"]
    results = []
    for i, order in enumerate([members, list(reversed(members))]):
        with Database(tmp_path / f"o{i}.duckdb") as db:
            results.append(_clusters(db, world(db, order)))
    assert results[0] == results[1] == {"C-m1": {"m1", "m2", "m3"}, "C-n1": {"n1", "n2"}}


def test_two_runs_give_identical_clusters(db):
    w = Builder(db)
    rng = np.random.default_rng(7)
    for i in range(120):
        a = f"acct{i:03d}"
        w.account(a)
        w.payment(a, f"card{int(rng.integers(0, 60))}")
        w.request(a, at(int(rng.integers(0, 5)), int(rng.integers(0, 24))),
                  ip=f"10.{int(rng.integers(0, 4))}.{int(rng.integers(0, 30))}.1", device=f"d{int(rng.integers(0, 80))}")
    first = detect(db, Config())
    second = detect(db, Config())
    assert second.run_id == first.run_id + 1
    a, b = _clusters(db, first.run_id), _clusters(db, second.run_id)
    assert a and a == b
    cols = "cluster_id, size, n_links, internal_weight, n_identifiers, kinds, component_id"
    rows = [db.execute(f"SELECT {cols} FROM run_clusters WHERE run_id = $r ORDER BY cluster_id",
                       {"r": r}).fetchall() for r in (first.run_id, second.run_id)]
    assert rows[0] == rows[1]


# -- igraph against networkx ---------------------------------------------------------


def _random_graph(seed: int, n: int = 60, m: int = 150) -> tuple[nx.Graph, igraph.Graph]:
    rng = np.random.default_rng(seed)
    G = nx.gnm_random_graph(n, m, seed=seed)
    weights = rng.uniform(0.05, 2.0, size=G.number_of_edges())
    for (u, v), x in zip(G.edges, weights):
        G[u][v]["weight"] = float(x)
    edges = np.array(list(G.edges), dtype=np.int64).reshape(-1, 2)
    g = igraph.Graph(n=n, edges=edges, directed=False)
    g.es["weight"] = weights.tolist()
    return G, g


def _cpm(G: nx.Graph, parts: list[set[int]], gamma: float) -> float:
    """igraph's CPM quality: sum over communities of (internal weight - gamma * n^2 / 2), over total weight."""
    total = G.size(weight="weight")
    inside = sum(G.subgraph(c).size(weight="weight") - gamma * len(c) ** 2 / 2 for c in parts)
    return inside / total


def _parts(membership) -> list[set[int]]:
    out: dict[int, set[int]] = {}
    for v, c in enumerate(membership):
        out.setdefault(int(c), set()).add(v)
    return list(out.values())


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_components_match_networkx(seed):
    G, g = _random_graph(seed, n=80, m=70)
    ours = {frozenset(c) for c in _parts(components(g))}
    assert ours == {frozenset(c) for c in nx.connected_components(G)}


@pytest.mark.parametrize("seed, n, m", [(21, 60, 150), (22, 60, 150), (23, 60, 150), (24, 60, 150),
                                        (25, 90, 40), (26, 90, 40)])   # the last two: many isolated vertices
def test_leiden_cpm_against_networkx(seed, n, m):
    G, g = _random_graph(seed, n=n, m=m)
    # Iterated until stable, so the last pass found no improving move.
    config = CommunityConfig(objective="CPM", resolution=0.3, seed=seed, n_iterations=-1)
    membership, quality = leiden(g, config)
    parts = _parts(membership)
    # Every community is connected (Leiden's guarantee) ...
    assert all(nx.is_connected(G.subgraph(c)) for c in parts)
    # ... the quality igraph reports is CPM computed independently ...
    assert quality == pytest.approx(_cpm(G, parts, 0.3))
    # ... and no single account can move to a neighbouring community (or out
    # on its own) and raise it: the partition is locally optimal.
    label = {v: i for i, c in enumerate(parts) for v in c}
    for v in G:
        own = label[v]
        for target in {label[u] for u in G[v]} | {-1}:
            if target == own:
                continue
            moved = [set(c) for c in parts] + [set()]
            moved[own].discard(v)
            moved[target].add(v)
            assert _cpm(G, [c for c in moved if c], 0.3) <= quality + 1e-9


@pytest.mark.parametrize("seed, n, m", [(31, 60, 150), (32, 60, 150), (33, 90, 40)])
def test_leiden_modularity_quality_is_networkx_modularity(seed, n, m):
    G, g = _random_graph(seed, n=n, m=m)
    membership, quality = leiden(g, CommunityConfig(objective="modularity", resolution=1.0, seed=seed))
    parts = _parts(membership)
    assert quality == pytest.approx(nx.community.modularity(G, parts, weight="weight"))
    assert all(nx.is_connected(G.subgraph(c)) for c in parts)


def test_isolated_vertices_are_singletons_and_count_in_the_cpm_quality():
    # Two triangles of weight 1 joined by nothing, and two accounts (3 and 6)
    # without a link.  CPM at 0.3: a triangle holds together (3 - 0.3 * 9 / 2
    # = 1.65 beats any split), each isolated vertex is alone and adds
    # -0.3 / 2; the total weight is 6, so the quality is (2 * 1.65 - 2 * 0.15) / 6.
    edges = [(0, 1), (1, 2), (0, 2), (4, 5), (5, 7), (4, 7)]
    g = igraph.Graph(n=8, edges=edges, directed=False)
    g.es["weight"] = [1.0] * len(edges)
    membership, quality = leiden(g, CommunityConfig(objective="CPM", resolution=0.3, seed=5))
    parts = {frozenset(c) for c in _parts(membership)}
    assert parts == {frozenset({0, 1, 2}), frozenset({4, 5, 7}), frozenset({3}), frozenset({6})}
    assert quality == pytest.approx((2 * 1.65 - 2 * 0.15) / 6)


def test_cpm_recovers_weighted_cliques_joined_by_light_edges():
    # Three 5-cliques with link weight 1, joined in a chain by single links of
    # weight 0.05, below the default resolution gamma = 0.2: by hand, each
    # clique is one community (joining two gains 0.05 - 0.2 * 25 < 0).
    G = nx.Graph()
    cliques = [range(0, 5), range(5, 10), range(10, 15)]
    for c in cliques:
        G.add_edges_from(((u, v) for u in c for v in c if u < v), weight=1.0)
    G.add_edge(4, 5, weight=0.05)
    G.add_edge(9, 10, weight=0.05)
    g = igraph.Graph(n=15, edges=list(G.edges), directed=False)
    g.es["weight"] = [G[u][v]["weight"] for u, v in G.edges]
    membership, _ = leiden(g, CommunityConfig())
    assert sorted(map(sorted, _parts(membership))) == [list(c) for c in cliques]
    assert len(_parts(components(g))) == 1


def test_leiden_is_seeded_and_leaves_the_global_generator_alone():
    _, g = _random_graph(5, n=200, m=900)
    config = CommunityConfig(resolution=0.5, seed=3)
    random.seed(99)
    before = random.random()
    random.seed(99)
    a, _ = leiden(g, config)
    after = random.random()
    b, _ = leiden(g, config)
    assert np.array_equal(a, b)
    assert before == after
