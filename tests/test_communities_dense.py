"""Dense blocks (graphlink.denseblock): the peeling against a brute-force
densest subgraph on tiny graphs, and a camouflaged ring found by hand."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphlink.config import Config
from graphlink.db import Database
from graphlink.denseblock import densest_block
from graphlink.pipeline import detect
from scoring_fixtures import Builder, at


def _density(rows, cols, weights, keep_rows, keep_cols) -> float:
    inside = np.isin(rows, list(keep_rows)) & np.isin(cols, list(keep_cols))
    return float(weights[inside].sum()) / (len(keep_rows) + len(keep_cols))


@st.composite
def _bipartite(draw):
    n_rows, n_cols = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    pairs = draw(st.sets(st.tuples(st.integers(0, n_rows - 1), st.integers(0, n_cols - 1)), min_size=1))
    rows, cols = (np.array(x, dtype=np.int64) for x in zip(*sorted(pairs)))
    weights = np.array(draw(st.lists(st.floats(0.1, 3.0), min_size=len(rows), max_size=len(rows))))
    return rows, cols, weights, n_rows, n_cols


@settings(max_examples=150, deadline=None)
@given(_bipartite(), st.sampled_from([0.0, 0.2, 1.0]))
def test_peeling_is_within_its_factor_of_the_densest_subgraph(graph, epsilon):
    rows, cols, weights, n_rows, n_cols = graph
    best = 0.0
    nodes = [("r", i) for i in range(n_rows)] + [("c", j) for j in range(n_cols)]
    for k in range(1, len(nodes) + 1):
        for subset in itertools.combinations(nodes, k):
            r = {i for t, i in subset if t == "r"}
            c = {j for t, j in subset if t == "c"}
            best = max(best, _density(rows, cols, weights, r, c))
    block = densest_block(rows, cols, weights, n_rows, n_cols, epsilon=epsilon)
    # the density reported is the block's own ...
    assert block.density == pytest.approx(_density(rows, cols, weights, set(block.rows), set(block.cols)))
    # ... and within the guaranteed factor of the optimum
    assert block.density >= best / (2 * (1 + epsilon)) - 1e-9


def test_a_camouflaged_ring_is_a_dense_block_and_the_crowd_is_not(tmp_path):
    # Ring r1..r5 shares a card, a device and an e-mail domain (3 identifiers
    # of degree 5, edge weight 1 / ln 10) and, as camouflage, also uses a
    # popular browser fingerprint with 100 strangers (degree 105, weight
    # 1 / ln 110).  Densest block by hand: the ring, its 3 identifiers and the
    # popular one, (15 / ln 10 + 5 / ln 110) / 9 = 0.8420 (without the
    # popular column 0.8143; adding a stranger: 0.779).  The strangers alone
    # make (100 / ln 110) / 101 = 0.21, less than half of it: no second block.
    with Database(tmp_path / "d.duckdb") as db:
        w = Builder(db)
        ring = [f"r{i}" for i in range(1, 6)]
        for k, a in enumerate(ring):
            w.account(a, email_domain="ring.example")
            w.payment(a, "card-r")
            w.request(a, at(k), ip=f"10.{k}.0.1", device="dev-r")
            w.request(a, at(k, 1), ip=f"10.{k}.0.1", device="chrome-120")
        for i in range(100):
            a = f"s{i:03d}"
            w.account(a)
            w.request(a, at(i % 7, i % 24), ip=f"198.18.{i}.1", device="chrome-120")
        run = detect(db, Config())
        blocks = db.execute("SELECT block_id, account_id, rank, density, n_accounts, n_identifiers "
                            "FROM run_dense_blocks WHERE run_id = $r ORDER BY account_id",
                            {"r": run.run_id}).fetchall()
        expected = (15 / math.log(10) + 5 / math.log(110)) / 9
        assert [b[1] for b in blocks] == ring
        assert {(b[0], b[2], b[4], b[5]) for b in blocks} == {("D-r1", 1, 5, 4)}
        assert blocks[0][3] == pytest.approx(expected)
        assert run.dense_blocks.n_blocks == 1
        cluster = db.execute("SELECT cluster_id, dense_block, dense_block_share FROM run_clusters "
                             "WHERE run_id = $r", {"r": run.run_id}).fetchall()
        assert cluster == [("C-r1", "D-r1", 1.0)]


def test_dense_blocks_can_be_switched_off(tmp_path):
    with Database(tmp_path / "off.duckdb") as db:
        w = Builder(db)
        for a in ("a", "b", "c"):
            w.account(a)
            w.payment(a, "card")
        config = Config()
        config.communities.dense_blocks = False
        run = detect(db, config)
        assert run.dense_blocks.n_blocks == 0
        assert db.execute("SELECT count(*) FROM run_dense_blocks").fetchall() == [(0,)]
        assert db.execute("SELECT cluster_id, dense_block FROM run_clusters").fetchall() == [("C-a", None)]
