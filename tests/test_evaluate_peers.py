"""The peer detectors the benchmark compares with: components over rare identifiers, FRAUDAR-style dense blocks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from graphlink.db import Database
from graphlink.denseblock import column_weights, dense_blocks, densest_block
from graphlink.evaluate import peer_components, peer_dense_blocks

from scoring_fixtures import Builder


def test_column_weights_discount_popular_columns():
    w = column_weights(np.array([0, 0, 0, 1]), 2)
    assert w.tolist() == pytest.approx([1 / math.log(8)] * 3 + [1 / math.log(6)])


def test_densest_block_peels_camouflage():
    # rows 0-2 x columns 0-2 complete (9 edges); row 3 touches column 3 and column 0.
    rows = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3])
    cols = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, 3, 0])
    # unit weights: the whole graph has 11 / 8 = 1.375; the block 9 / 6 = 1.5
    block = densest_block(rows, cols, np.ones(rows.size), 4, 4)
    assert block.rows.tolist() == [0, 1, 2] and block.cols.tolist() == [0, 1, 2]
    assert block.density == pytest.approx(1.5)


def test_dense_blocks_finds_each_block_then_stops():
    # block A: rows 0-3 x cols 0-3 (16 edges); block B: rows 4-6 x cols 4-6 (9 edges);
    # then a sparse path rows 7-9 over cols 7-9.
    a = [(r, c) for r in range(4) for c in range(4)]
    b = [(r, c) for r in range(4, 7) for c in range(4, 7)]
    path = [(7, 7), (8, 7), (8, 8), (9, 8), (9, 9)]
    rows, cols = np.array(a + b + path).T
    blocks = dense_blocks(rows, cols, 10, 10, min_density_ratio=0.5)
    assert [blk.rows.tolist() for blk in blocks] == [[0, 1, 2, 3], [4, 5, 6]]
    assert blocks[0].density > blocks[1].density
    assert dense_blocks(rows, cols, 10, 10, max_blocks=1)[0].rows.tolist() == [0, 1, 2, 3]
    assert densest_block(np.zeros(0), np.zeros(0), np.zeros(0), 0, 0).rows.size == 0


@pytest.fixture
def world(tmp_path):
    db = Database(tmp_path / "peers.duckdb")
    yield Builder(db)
    db.close()


def test_peer_components_use_rare_identifiers_only(world):
    run_id = world.run({"C-a": ["a", "b"]})
    world.edges(run_id, [
        ("a", "payment", "p1"), ("b", "payment", "p1"),            # a-b
        ("b", "device", "d1"), ("c", "device", "d1"),              # b-c
        ("x", "ip", "i1"), ("y", "ip", "i1"),                      # x-y
        # a hub shared by 11 accounts (more than 10) links nobody
        *[(f"h{i:02d}", "template", "t") for i in range(10)], ("a", "template", "t"),
    ])
    v = peer_components(world.db, run_id, max_degree=10)
    got = dict(zip(v.column("account_id").to_pylist(), v.column("cluster_id").to_pylist()))
    assert got == {"a": "K-a", "b": "K-a", "c": "K-a", "x": "K-x", "y": "K-x"}
    assert set(v.column("band").to_pylist()) == {"high"}
    # allowing the 11-account identifier joins its users to a-b-c; x-y stay apart
    v = peer_components(world.db, run_id, max_degree=11)
    got = dict(zip(v.column("account_id").to_pylist(), v.column("cluster_id").to_pylist()))
    assert len(got) == 3 + 10 + 2
    assert {got[a] for a in got if a not in ("x", "y")} == {"K-a"} and got["x"] == got["y"] == "K-x"


def test_peer_dense_blocks(world):
    run_id = world.run({"C-a": ["a", "b"]})
    ring = [f"r{i}" for i in range(5)]
    edges = [(r, "payment", f"p{j}") for r in ring for j in range(4)]    # 5 x 4 complete
    edges += [("s1", "ip", "i9"), ("s2", "ip", "i9")]                     # a lone pair
    world.edges(run_id, edges)
    v = peer_dense_blocks(world.db, run_id)
    assert sorted(v.column("account_id").to_pylist()) == ring
    assert set(v.column("cluster_id").to_pylist()) == {"B-r0"}
