"""The graph page as a file: self-contained, UTF-8, inert data, deterministic; the sample and the layout.

What the page does in a browser is tested in test_html_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import random
import re

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphlink.html import PageHeader, kind_style, layout_positions, render_graph_html, sample_graph, script_json

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>alert(2)</script>"


def small_graph() -> nx.Graph:
    """Two accounts (one with a payload label, one with non-ASCII text) sharing an IP and a template."""
    g = nx.Graph()
    g.add_node("account:a1", kind="account", label="Zo\u00eb \u6771\u4eac", n_requests=12)
    g.add_node("account:a2", kind="account", label=XSS_IMG, n_requests=3, user_agents=[XSS_SCRIPT])
    g.add_node("ip:203.0.113.7", kind="ip", label="203.0.113.7", n_requests=15)
    g.add_node("template:T1", kind="template", label="T1", skeleton=XSS_SCRIPT + " \u2028 step by step")
    for a in ("account:a1", "account:a2"):
        g.add_edge(a, "ip:203.0.113.7", weight=0.8)
        g.add_edge(a, "template:T1", weight=1.2)
    return g


HEADER = PageHeader(title="Cluster " + XSS_SCRIPT, score=72.25, band="high", reasons=[XSS_IMG], run_id=3,
                    window="2026-11-02 \u2192 2026-11-09", facts=[("accounts", 2)])


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("page") / "p.html"
    result = render_graph_html(small_graph(), path, header=HEADER)
    assert (result.nodes_shown, result.edges_shown, result.sampled) == (4, 4, False)
    assert result.bytes == path.stat().st_size
    return path.read_bytes().decode("utf-8")  # raises if the file is not UTF-8


# -- script_json ---------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_script_json_round_trips_and_cannot_close_a_script(value):
    text = script_json(value)
    assert json.loads(text) == value
    for forbidden in ("<", ">", "&", "\u2028", "\u2029"):
        assert forbidden not in text


def test_script_json_escapes_a_closing_script_tag():
    assert script_json("</script>") == '"\\u003c/script\\u003e"'


# -- the page file ----------------------------------------------------------------


def test_page_is_self_contained(page):
    assert re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I) is None
    assert "<link" not in page.lower()
    assert "bootstrap" not in page.lower()
    assert "sourceMappingURL" not in page
    assert page.count("<h1>") == 1  # pyvis's templates print the heading twice
    assert "vis.Network" in page  # vis-network is embedded, not linked


def test_page_is_utf8_with_text_intact(page):
    assert '<meta charset="utf-8">' in page
    assert "Zo\u00eb \u6771\u4eac" in page  # inside the JSON block, unescaped
    assert "2026-11-02 \u2192 2026-11-09" in page


def test_data_payloads_never_appear_as_markup(page):
    assert XSS_IMG not in page
    assert XSS_SCRIPT not in page
    assert page.count("</script>") == 3  # the data block, vis-network, the page script
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the header's reason, escaped


def test_csp_allows_exactly_the_page_scripts(page):
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1))
    allowed = set(re.findall(r"'sha256-([^']+)'", csp))
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    digests = {base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() for s in scripts}
    assert digests == allowed
    assert "connect-src 'none'" in csp and "default-src 'none'" in csp


def test_header_shows_score_band_reasons_and_run(page):
    assert "score 72.25 \u00b7 high" in page
    assert 'class="gl-score gl-band-high"' in page
    assert "<dt>run</dt><dd>3</dd>" in page
    assert "<dt>drawn</dt><dd>4 nodes, 4 links</dd>" in page


def test_same_graph_gives_the_same_file(tmp_path):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    render_graph_html(small_graph(), a, header=HEADER)
    render_graph_html(small_graph(), b, header=HEADER)
    assert a.read_bytes() == b.read_bytes()


def test_page_data_carries_positions_sizes_and_no_physics(page):
    block = re.search(r'<script type="application/json" id="graphlink-data">(.*?)</script>', page, re.S).group(1)
    data = json.loads(block)
    assert data["options"]["physics"] == {"enabled": False}
    nodes = {n["id"]: n for n in data["nodes"]}
    assert set(nodes) == {"account:a1", "account:a2", "ip:203.0.113.7", "template:T1"}
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in nodes.values())
    # size grows with request volume: 15 > 12 > 3 > none
    sizes = [nodes[i]["size"] for i in ("ip:203.0.113.7", "account:a1", "account:a2", "template:T1")]
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == 4
    # wider links for heavier weights: template links 1.2, IP links 0.8 of max 1.2
    widths = {(e["from"], e["to"]): e["width"] for e in data["edges"]}
    assert widths[("account:a1", "template:T1")] == 6.0
    assert widths[("account:a1", "ip:203.0.113.7")] == round(1 + 5 * 0.8 / 1.2, 2)
    assert [k["kind"] for k in data["kinds"]] == ["account", "ip", "template"]
    assert nodes["account:a2"]["tip"] == [["requests", "3"], ["user agents", XSS_SCRIPT]]


def test_unknown_kinds_get_a_stable_style():
    assert kind_style("ip").name == "IP address"
    assert kind_style("phone_number") == kind_style("phone_number")
    assert kind_style("phone_number").name == "Phone number"


# -- sample ------------------------------------------------------------------------


def sample_input() -> nx.Graph:
    """a1-ip i1 (5), a2-i1 (4), a1-pay p1 (3), a3-p1 (1), a4-dev d1 (0.5): 7 nodes, 5 links, 4 kinds."""
    g = nx.Graph()
    for a in ("a1", "a2", "a3", "a4"):
        g.add_node(a, kind="account")
    g.add_node("i1", kind="ip")
    g.add_node("p1", kind="payment")
    g.add_node("d1", kind="device")
    g.add_weighted_edges_from([("a1", "i1", 5), ("a2", "i1", 4), ("a1", "p1", 3), ("a3", "p1", 1), ("a4", "d1", 0.5)])
    return g


def test_sample_is_not_taken_under_the_cap():
    g = sample_input()
    same, info = sample_graph(g, 7)
    assert same is g and info is None


def test_sample_keeps_every_kind_first_then_heaviest_links():
    # cap 5: heaviest link of each kind: a1-i1 (account, ip), a1-p1 (payment), a4-d1 (device) = 5 nodes
    g5, info = sample_graph(sample_input(), 5)
    assert set(g5.nodes) == {"a1", "i1", "p1", "a4", "d1"}
    assert set(map(frozenset, g5.edges)) == {frozenset(e) for e in [("a1", "i1"), ("a1", "p1"), ("a4", "d1")]}
    assert (info.nodes_total, info.edges_total, info.nodes_kept, info.edges_kept) == (7, 5, 5, 3)
    assert (info.nodes_left_out, info.edges_left_out) == (2, 2)
    # cap 6: the same, then the heaviest remaining link that fits: a2-i1
    g6, _ = sample_graph(sample_input(), 6)
    assert set(g6.nodes) == {"a1", "i1", "p1", "a4", "d1", "a2"}


def test_sample_keeps_a_kind_with_no_room_for_its_link_as_a_node():
    # cap 4: a1-i1, then p1; device's link a4-d1 needs 2 more nodes, so d1 alone
    g4, info = sample_graph(sample_input(), 4)
    assert set(g4.nodes) == {"a1", "i1", "p1", "d1"}
    assert {g4.nodes[n]["kind"] for n in g4} == {"account", "ip", "payment", "device"}
    assert info.edges_kept == 2


def test_sample_keeps_the_focus_node():
    g3, _ = sample_graph(sample_input(), 3, keep=["a3"])
    assert set(g3.nodes) == {"a3", "a1", "i1"}


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=60), st.integers(min_value=0, max_value=10_000))
def test_sample_never_exceeds_the_cap_and_keeps_every_kind_when_there_is_room(cap, seed):
    rng = random.Random(seed)
    kinds = ["account", "ip", "payment", "device", "template"]
    g = nx.Graph()
    for i in range(50):
        g.add_node(i, kind=kinds[i % 5])
    for _ in range(120):
        u, v = rng.randrange(50), rng.randrange(50)
        if u != v:
            g.add_edge(u, v, weight=rng.random())
    s, info = sample_graph(g, cap)
    assert s.number_of_nodes() == min(cap, 50)
    if cap >= 2 * len(kinds):
        assert {d["kind"] for _, d in s.nodes(data=True)} == set(kinds)
    # the sample is the subgraph the kept nodes induce
    assert set(map(frozenset, s.edges)) == set(map(frozenset, g.subgraph(s.nodes).edges))


# -- layout ------------------------------------------------------------------------


def test_layout_is_seeded_and_leaves_python_random_alone():
    g = nx.complete_bipartite_graph(12, 5)
    random.seed(99)
    expected = random.random()
    random.seed(99)
    a = layout_positions(g, seed=7)
    assert random.random() == expected
    assert layout_positions(g, seed=7) == a
    assert set(a) == set(g.nodes)


def test_layout_separates_nodes_that_share_every_neighbour():
    # the 5 identifiers of K(12,5) all sit at the centre before separation
    g = nx.complete_bipartite_graph(12, 5)
    pos = layout_positions(g, radii={n: 10.0 for n in g})
    points = list(pos.values())
    closest = min(math.dist(p, q) for i, p in enumerate(points) for q in points[i + 1 :])
    assert closest >= 20.0
