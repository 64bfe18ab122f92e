"""The graph page in a real headless Chromium with the network off.

One browser for the module; each test opens a page in a fresh offline
context that aborts and records any request other than the page file.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from browser import canvas_ink, hover_node, launch, open_offline, skip_reason
from graphlink.html import PageHeader, render_graph_html

pytestmark = [pytest.mark.browser, pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")]

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>alert(2)</script>"
SKELETON = XSS_SCRIPT + " Solve step by step: \u00ab\u2026\u00bb"
EVIL = "account:" + XSS_IMG
T = dt.datetime(2026, 11, 3, 14, 5)


def xss_graph() -> nx.Graph:
    """6 accounts and 4 identifiers; 14 links.  Payloads in a label, user agents and a skeleton.

    ip 203.0.113.7: a1 a2 a3 (3)   payment pm1: a1-a5 + evil (6)
    template T1: a3 a4 evil (3)     device d1: a4 a5 (2)
    """
    g = nx.Graph()
    for a in ["a1", "a2", "a3", "a4", "a5"]:
        g.add_node(f"account:{a}", kind="account", label=a, n_requests=100, first_seen=T, user_agents=["curl/8.5"])
    g.add_node(EVIL, kind="account", label=XSS_IMG, n_requests=900, user_agents=[XSS_SCRIPT, XSS_IMG])
    g.add_node("ip:203.0.113.7", kind="ip", label="203.0.113.7", n_requests=300)
    g.add_node("payment:pm1", kind="payment", label="pm1")
    g.add_node("template:T1", kind="template", label="T1", skeleton=SKELETON, n_requests=1100)
    g.add_node("device:d1", kind="device", label="d1", n_requests=200)
    links = {
        "ip:203.0.113.7": ["a1", "a2", "a3"],
        "payment:pm1": ["a1", "a2", "a3", "a4", "a5", None],
        "template:T1": ["a3", "a4", None],
        "device:d1": ["a4", "a5"],
    }
    for ident, users in links.items():
        for a in users:
            g.add_edge(EVIL if a is None else f"account:{a}", ident, weight=1.0, n_requests=10, first_seen=T)
    return g


@pytest.fixture(scope="module")
def browser():
    with launch() as b:
        yield b


@pytest.fixture(scope="module")
def xss_page(tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "cluster.html"
    header = PageHeader(
        title="Cluster C-" + XSS_SCRIPT,
        score=88.0,
        band="high",
        reasons=[XSS_IMG, "Six accounts pay with one card."],
        run_id=7,
        window="2026-11-02 \u2192 2026-11-09",
    )
    render_graph_html(xss_graph(), path, header=header)
    return path


@pytest.fixture(scope="module")
def big_page(tmp_path_factory):
    """2,400 nodes (1,800 accounts, 600 identifiers of 8 kinds), capped at 2,000."""
    kinds = ["ip", "payment", "device", "template", "ip_prefix", "card_bin", "api_key", "email_domain"]
    g = nx.Graph()
    for i in range(1800):
        g.add_node(f"account:A{i}", kind="account", label=f"A{i}", n_requests=1 + i % 97)
    for j in range(600):
        kind = kinds[j % 8]
        g.add_node(f"{kind}:v{j}", kind=kind, label=f"v{j}")
        for a in (j * 3, j * 3 + 1, j * 3 + 2, (j * 7) % 1800):
            g.add_edge(f"account:A{a}", f"{kind}:v{j}", weight=1.0 + (j % 5))
    path = tmp_path_factory.mktemp("html") / "big.html"
    result = render_graph_html(g, path, header=PageHeader(title="Big cluster"), node_cap=2000)
    assert result.sampled and result.nodes_total == 2400
    return path


def _counts(page) -> tuple[int, int]:
    return tuple(page.evaluate(
        "[graphlinkNetwork.body.nodeIndices.length, graphlinkNetwork.body.edgeIndices.length]"
    ))


def test_page_draws_every_node_and_link_with_no_request_leaving(browser, xss_page):
    with open_offline(browser, xss_page) as (page, log):
        assert _counts(page) == (10, 14)
        assert page.evaluate("Object.keys(graphlinkNetwork.getPositions()).length") == 10
        assert canvas_ink(page) > 1000
        assert page.locator("#gl-legend li").count() == 5  # account + 4 identifier kinds
        assert page.locator("h1").count() == 1
        assert log.errors == []
        assert page.evaluate("window.__cspViolations") == []
    assert log.requests == [log.url]
    assert log.outside_requests == []


def test_search_finds_and_selects_a_node(browser, xss_page):
    with open_offline(browser, xss_page) as (page, log):
        page.fill("#gl-search-input", "T1")
        page.press("#gl-search-input", "Enter")
        assert page.evaluate("graphlinkNetwork.getSelectedNodes()") == ["template:T1"]
        assert SKELETON in page.inner_text("#gl-details")
        page.fill("#gl-search-input", "account:a4")
        page.click("#gl-search button")
        assert page.evaluate("graphlinkNetwork.getSelectedNodes()") == ["account:a4"]
        page.fill("#gl-search-input", "no-such-node")
        page.press("#gl-search-input", "Enter")
        assert "No node matches" in page.inner_text("#gl-search-status")
        assert log.outside_requests == []


def test_filter_by_kind_hides_that_kind_and_keeps_the_rest_drawn(browser, xss_page):
    with open_offline(browser, xss_page) as (page, log):
        page.uncheck('input[data-kind="payment"]')
        # pm1 and its 6 links go; 9 nodes and 14 - 6 = 8 links stay
        assert _counts(page) == (9, 8)
        page.uncheck('input[data-kind="ip"]')
        assert _counts(page) == (8, 5)
        assert canvas_ink(page) > 1000
        page.check('input[data-kind="payment"]')
        page.check('input[data-kind="ip"]')
        assert _counts(page) == (10, 14)
        assert log.outside_requests == []


def test_payloads_in_data_show_as_text_and_run_nothing(browser, xss_page):
    with open_offline(browser, xss_page) as (page, log):
        tip = hover_node(page, EVIL)
        assert XSS_IMG in tip and XSS_SCRIPT in tip
        page.mouse.move(5, 5)
        tip = hover_node(page, "template:T1")
        assert SKELETON in tip
        assert page.inner_text("h1") == "Cluster C-" + XSS_SCRIPT
        assert page.locator("#gl-reasons li").first.inner_text() == XSS_IMG
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert page.evaluate("document.scripts.length") == 3
        assert page.evaluate("window.__cspViolations") == []
        assert log.errors == []
    assert log.dialogs == []
    assert log.outside_requests == []


def test_a_graph_over_the_cap_draws_a_labelled_sample_of_every_kind(browser, big_page):
    with open_offline(browser, big_page) as (page, log):
        nodes, edges = _counts(page)
        assert nodes == 2000
        banner = page.inner_text("#gl-sample")
        assert "2,000 of 2,400 nodes" in banner and "400 nodes" in banner
        assert page.locator("#gl-legend li").count() == 9
        assert page.evaluate("graphlinkNetwork.physics.physicsEnabled") is False
        assert canvas_ink(page) > 1000
        assert log.errors == []
    assert log.outside_requests == []
