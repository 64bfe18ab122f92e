"""Exports of a cluster or an account's neighbourhood: selection, attributes, GraphML/GEXF, CLI.

The database is the hand-made run of exports_fixtures.py (rows that follow
the run_* contract); expected nodes and edges are worked out from its table.
The last tests run the real pipeline (graphlink.pipeline.detect) first; one
of them opens the exported page in headless Chromium with the network off.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import networkx as nx
import pytest
from typer.testing import CliRunner

from browser import hover_node, launch, open_offline, skip_reason
from exports_fixtures import SKELETON, T0, XSS_IMG, build_world, ring_world
from graphlink.cli import app
from graphlink.config import Config
from graphlink.db import Database
from graphlink.errors import InputError, NotFoundError
from graphlink.exports import export_graph, file_safe_graph, select_cluster, select_neighbourhood, write_graph_file


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return build_world(tmp_path_factory.mktemp("world") / "world.duckdb")


@pytest.fixture
def db(world):
    with Database(world, read_only=True) as database:
        yield database


def _edges(graph: nx.Graph) -> set[frozenset]:
    return {frozenset(e) for e in graph.edges}


A = "account:"

# -- selections ---------------------------------------------------------------------


def test_cluster_draws_members_and_the_identifiers_two_of_them_share(db):
    sel = select_cluster(db, "C-a1")
    g = sel.graph
    assert set(g.nodes) == {A + "a1", A + "a2", A + "a3", "payment:pm1", "ip:203.0.113.7"}
    assert _edges(g) == {
        frozenset(e) for e in [
            (A + "a1", "payment:pm1"), (A + "a2", "payment:pm1"), (A + "a3", "payment:pm1"),
            (A + "a1", "ip:203.0.113.7"), (A + "a2", "ip:203.0.113.7"),
        ]
    }
    assert sel.run_id == 1  # run 2 is newer but failed


def test_min_shared_one_adds_identifiers_only_one_member_uses(db):
    g = select_cluster(db, "C-a1", min_shared=1).graph
    # + T1 (a3), the hub IP (a1), k1 (a3): 3 accounts + 5 identifiers, 5 + 3 links
    assert g.number_of_nodes() == 8 and g.number_of_edges() == 8
    assert g.nodes["ip:198.51.100.1"]["is_hub"] is True


def test_account_evidence_counts_only_requests_in_the_run_window(db):
    a1 = select_cluster(db, "C-a1").graph.nodes[A + "a1"]
    assert a1["kind"] == "account" and a1["label"] == "a1"
    assert a1["n_requests"] == 3  # r4 is a day before the window
    assert a1["first_seen"] == T0 + dt.timedelta(hours=1)
    assert a1["last_seen"] == T0 + dt.timedelta(hours=3)
    assert a1["user_agents"] == [XSS_IMG, "curl/8.5"]  # most used first
    assert a1["models"] == ["model-x", "model-y"]
    assert (a1["prompt_tokens"], a1["completion_tokens"]) == (250, 810)
    assert a1["labels"] == ["banned", "distillation"]
    assert (a1["cluster_id"], a1["status"], a1["country"]) == ("C-a1", "active", "US")


def test_identifier_evidence(db):
    g = select_cluster(db, "C-a1", min_shared=1).graph
    ip = g.nodes["ip:203.0.113.7"]
    assert (ip["n_selected"], ip["degree"], ip["n_requests"]) == (2, 2, 15)
    # the narrowest ip_intel range holding it: the /24, not the /8
    assert (ip["ip_type"], ip["asn"], ip["as_org"]) == ("datacenter", "AS64500", "Example Hosting")
    pm = g.nodes["payment:pm1"]
    assert pm["n_requests"] is None and pm["method_type"] == ["virtual_card"]
    assert pm["billing_country"] == ["NL", "US"]
    assert pm["_size"] == 3 + 1 + 1  # no request count: its accounts' requests
    t1 = g.nodes["template:T1"]
    assert t1["skeleton"] == SKELETON and t1["elicits_reasoning"] is True and t1["flags"] == ["step by step"]
    hub = g.nodes["ip:198.51.100.1"]
    assert (hub["degree"], hub["hub_cap"]) == (400, 50)
    link = g.edges[A + "a1", "ip:203.0.113.7"]
    assert (link["weight"], link["n_requests"]) == (0.87, 10)


def test_cluster_header_has_score_band_reasons_and_run(db):
    sel = select_cluster(db, "C-a1")
    h = sel.header
    assert h.title == "Cluster C-a1"
    assert (h.score, h.band, h.run_id) == (91.5, "high", 1)
    assert list(h.reasons) == ["All 3 accounts pay with one virtual card.", "Reasoning template " + XSS_IMG]
    assert h.window == "2026-11-02 \u2192 2026-11-09"
    assert sel.graph.graph["cluster_id"] == "C-a1" and sel.graph.graph["band"] == "high"


def test_unscored_cluster_has_no_score(db):
    sel = select_cluster(db, "C-a4")
    assert sel.header.score is None and sel.header.band is None and list(sel.header.reasons) == []
    assert set(sel.graph.nodes) == {A + "a4", A + "a5", "device:d1"}


@pytest.mark.parametrize(
    "account,hops,n_nodes,n_edges",
    [
        ("a3", 0, 4, 3),    # a3 + pm1, T1, k1
        ("a3", 1, 10, 12),  # + a1 a2 a4 x1; + .7 and the hub (3 of them use it)
        ("a3", 2, 12, 14),  # + a5 through T1 -> a4 -> d1; + d1
    ],
)
def test_neighbourhood_grows_by_hops(db, account, hops, n_nodes, n_edges):
    sel = select_neighbourhood(db, account, hops=hops)
    assert (sel.graph.number_of_nodes(), sel.graph.number_of_edges()) == (n_nodes, n_edges)
    assert sel.focus == A + account
    assert sel.graph.nodes[A + account]["hops"] == 0


def test_neighbourhood_never_crosses_a_hub(db):
    # x1 shares the hub IP with a1 and a4, and k1 with a3: only a3 is a neighbour
    g = select_neighbourhood(db, "x1", hops=1).graph
    assert set(g.nodes) == {A + "x1", A + "a3", "api_key:k1", "ip:198.51.100.1"}
    assert _edges(g) == {frozenset(e) for e in [
        (A + "x1", "api_key:k1"), (A + "a3", "api_key:k1"), (A + "x1", "ip:198.51.100.1")]}
    assert g.nodes[A + "a3"]["hops"] == 1


def test_neighbourhood_header_uses_the_account_cluster(db):
    sel = select_neighbourhood(db, "a3", hops=1)
    assert sel.header.score == 91.5 and sel.graph.graph["cluster_id"] == "C-a1"
    assert "member of cluster C-a1" in sel.header.subtitle
    x1 = select_neighbourhood(db, "x1", hops=1)
    assert x1.header.score is None and "in no cluster" in x1.header.subtitle


def test_an_account_without_links_is_drawn_alone(db):
    g = select_neighbourhood(db, "z9", hops=2).graph  # z9 links only in the failed run 2
    assert list(g.nodes) == [A + "z9"] and g.number_of_edges() == 0


def test_errors_name_what_is_missing(db, tmp_path):
    with pytest.raises(NotFoundError, match=r"no cluster 'C-zz'.*2 clusters, the largest C-a1, C-a4"):
        select_cluster(db, "C-zz")
    with pytest.raises(NotFoundError, match="no account 'nobody'"):
        select_neighbourhood(db, "nobody")
    with pytest.raises(NotFoundError, match="run 2 is failed"):
        select_cluster(db, "C-a1", run_id=2)
    with pytest.raises(NotFoundError, match="run 99"):
        select_cluster(db, "C-a1", run_id=99)
    with pytest.raises(InputError, match="exactly one"):
        export_graph(db, Config(), tmp_path / "x.html", cluster_id="C-a1", account_id="a1")
    with pytest.raises(InputError, match="exactly one"):
        export_graph(db, Config(), tmp_path / "x.html")
    with pytest.raises(InputError, match="--min-shared"):
        select_cluster(db, "C-a1", min_shared=0)
    with pytest.raises(InputError, match="--hops"):
        select_neighbourhood(db, "a1", hops=-1)
    with pytest.raises(InputError, match="folder"):
        export_graph(db, Config(), tmp_path / "no" / "x.html", cluster_id="C-a1")


def test_a_database_without_runs_says_so(tmp_path):
    with Database(tmp_path / "empty.duckdb") as db:
        with pytest.raises(NotFoundError, match="no complete detection run"):
            select_cluster(db, "C-a1")


# -- GraphML and GEXF ------------------------------------------------------------------


def test_file_safe_graph_converts_values():
    g = nx.Graph(run_id=1, reasons=["a", "b"], missing=None)
    g.add_node("n", when=dt.datetime(2026, 1, 2, 3, 4), tags=["x", "y"], none=None, _size=3, nan=float("nan"),
               doc={"b": 1, "a": 2}, ok=True)
    safe = file_safe_graph(g)
    assert safe.graph == {"run_id": 1, "reasons": "a; b"}
    assert safe.nodes["n"] == {"when": "2026-01-02T03:04:00", "tags": "x; y", "doc": '{"a": 2, "b": 1}', "ok": True}


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_files_read_back_with_the_same_nodes_edges_and_attributes(db, tmp_path, fmt):
    graph = select_neighbourhood(db, "a3", hops=2).graph
    path = tmp_path / f"n.{fmt}"
    write_graph_file(graph, path, fmt)
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    expected = file_safe_graph(graph)
    assert set(back.nodes) == set(graph.nodes) and len(back) == 12
    assert _edges(back) == _edges(graph) and back.number_of_edges() == 14
    for node in graph.nodes:
        assert back.nodes[node] == expected.nodes[node], node
    for u, v in graph.edges:
        got = dict(back.edges[u, v])
        got.pop("id", None)  # GEXF numbers its edges
        assert got == expected.edges[u, v], (u, v)
    # by hand: text survives as text, numbers as numbers, lists joined
    assert back.nodes[A + "a1"]["user_agents"] == XSS_IMG + "; curl/8.5"
    assert back.nodes[A + "a1"]["first_seen"] == "2026-11-02T01:00:00"
    assert back.nodes[A + "a1"]["n_requests"] == 3
    assert back.nodes["template:T1"]["skeleton"] == SKELETON
    assert back.nodes["ip:198.51.100.1"]["is_hub"] is True
    assert back.edges[A + "a3", "template:T1"]["weight"] == 1.15
    if fmt == "graphml":
        assert back.graph["run_id"] == 1 and back.graph["selection"] == "neighbourhood"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_files_are_byte_identical_for_the_same_run(db, tmp_path, fmt):
    a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    for path in (a, b):
        export_graph(db, Config(), path, fmt=fmt, cluster_id="C-a1")
    assert a.read_bytes() == b.read_bytes()
    if fmt == "gexf":
        assert 'lastmodifieddate="2026-11-10"' in a.read_text(encoding="utf-8")  # the run's end


def test_html_export_is_capped_by_config(db, tmp_path):
    config = Config().with_overrides({"report.html_node_cap": 6})
    result = export_graph(db, config, tmp_path / "n.html", account_id="a3", hops=2)
    assert (result.nodes, result.nodes_written, result.sampled) == (12, 6, True)
    page = (tmp_path / "n.html").read_text(encoding="utf-8")
    assert "Showing 6 of 12 nodes" in page
    assert XSS_IMG not in page and SKELETON not in page


# -- command line -----------------------------------------------------------------------


def test_cli_writes_each_format(world, tmp_path):
    runner = CliRunner()
    for fmt in ("html", "graphml", "gexf"):
        out = tmp_path / f"c.{fmt}"
        res = runner.invoke(app, ["--db", str(world), "export", fmt, "--cluster", "C-a1", "-o", str(out), "--json"])
        assert res.exit_code == 0, res.output
        data = json.loads(res.stdout)
        assert (data["nodes"], data["edges"], data["run_id"], data["format"]) == (5, 5, 1, fmt)
        assert out.is_file()
    assert "<h1>Cluster C-a1</h1>" in (tmp_path / "c.html").read_text(encoding="utf-8")


def test_cli_default_output_and_messages(world, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(app, ["--db", str(world), "export", "graphml", "--account", "a3", "--hops", "2"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "a3-neighbourhood.graphml").is_file()
    assert "12 nodes and 14 links" in res.stderr


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["--cluster", "C-zz"], 1, "no cluster 'C-zz'"),
        (["--account", "nobody"], 1, "no account 'nobody'"),
        (["--cluster", "C-a1", "--hops", "2"], 2, "--hops applies to --account only"),
        (["--cluster", "C-a1", "--run", "2"], 1, "run 2 is failed"),
    ],
)
def test_cli_errors_are_one_line(world, tmp_path, args, code, message):
    res = CliRunner().invoke(app, ["--db", str(world), "export", "html", "-o", str(tmp_path / "x.html"), *args])
    assert res.exit_code == code
    assert message in res.stderr and "Traceback" not in res.output


# -- through the real pipeline --------------------------------------------------------------


@pytest.fixture(scope="module")
def ring_db(tmp_path_factory):
    return ring_world(tmp_path_factory.mktemp("ring") / "ring.duckdb")


def test_export_after_detect_draws_the_ring(ring_db, tmp_path):
    with Database(ring_db, read_only=True) as db:
        sel = select_cluster(db, "C-r1")
        assert {n for n, k in sel.graph.nodes(data="kind") if k == "account"} == {A + a for a in ["r1", "r2", "r3", "r4"]}
        ids = {n for n, k in sel.graph.nodes(data="kind") if k != "account"}
        assert {"payment:pmR", "device:devR", "ip:203.0.113.9"} <= ids
        assert sel.graph.number_of_edges() == 4 * len(ids)  # every member uses every shared identifier
        assert sel.header.run_id == 1 and sel.header.band in {"high", "medium", "low"}
        result = export_graph(db, Config(), tmp_path / "ring.html", cluster_id="C-r1")
    page = (tmp_path / "ring.html").read_text(encoding="utf-8")
    assert result.nodes_written == 4 + len(ids)
    assert XSS_IMG not in page
    data = json.loads(re.search(r'id="graphlink-data">(.*?)</script>', page, re.S).group(1))
    assert len(data["nodes"]) == 4 + len(ids)


@pytest.mark.browser
@pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")
def test_exported_page_works_offline_in_a_browser(ring_db, tmp_path):
    out = tmp_path / "ring.html"
    res = CliRunner().invoke(app, ["--db", str(ring_db), "export", "html", "--cluster", "C-r1", "-o", str(out)])
    assert res.exit_code == 0, res.output
    with launch() as browser, open_offline(browser, out) as (page, log):
        drawn = page.evaluate("[graphlinkNetwork.body.nodeIndices.length, graphlinkNetwork.body.edgeIndices.length]")
        kinds = page.evaluate("graphlinkNodes.get().map(n => n.kind)")
        n_ids = sum(1 for k in kinds if k != "account")
        assert kinds.count("account") == 4
        assert drawn == [4 + n_ids, 4 * n_ids]  # every ring member uses every identifier it shares
        assert page.inner_text("h1") == "Cluster C-r1"
        assert page.locator("#gl-reasons li").count() >= 1
        assert XSS_IMG in hover_node(page, "account:r2")  # the user agent, as text
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert log.errors == [] and page.evaluate("window.__cspViolations") == []
    assert log.dialogs == []
    assert log.outside_requests == []
