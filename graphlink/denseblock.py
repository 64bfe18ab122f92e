"""Camouflage-resistant dense blocks in a bipartite graph (FRAUDAR-style peeling).

FRAUDAR (Hooi et al., KDD 2016) looks for a block of rows (accounts) and
columns (identifiers) whose edges are unusually dense.  Each edge into column
``j`` weighs ``1 / log(d_j + c)`` (``d_j`` the column's degree, ``c = 5``), so
popular columns -- a public template, a mobile carrier's address -- count
little, and camouflage edges to them cannot hide a block.  The density of a
node set ``S`` is ``g(S) = f(S) / |S|``, with ``f(S)`` the summed weight of
the edges inside ``S``.

Peeling
-------
FRAUDAR peels one node at a time from a priority queue, which touches every
edge from Python.  Here each pass removes, at once, every node whose
weighted degree into what remains is at most ``2 (1 + epsilon)`` times the
current density (Bahmani, Kumar & Vassilvitskii, VLDB 2012), and the densest
prefix seen is kept -- its densest connected component, as the prefix can
be a union of unrelated groups.  A pass is two ``numpy.bincount`` calls over
the edge arrays; the nodes' weighted degrees average ``2 g``, so every pass
removes something, and the block found is within a factor ``2 (1 + epsilon)``
of the densest one (FRAUDAR's greedy: 2).  ``epsilon = 0`` peels as finely as the
rule allows; a positive ``epsilon`` bounds the passes by
``O(log(V) / epsilon)`` on large graphs.

:func:`dense_blocks` repeats the search, removing each block's rows before
the next, until a block is much sparser than the first.
:func:`find_dense_blocks` runs it inside ``graphlink detect`` as a second
signal next to Leiden: every cluster records the dense block most of its
members fall in (``run_clusters.dense_block``), and the blocks are kept in
``run_dense_blocks``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from .config import Config
from .db import Database
from .errors import ConfigError
from .graph import edge_graph, graph_sizes

__all__ = [
    "DenseBlock",
    "DenseBlockResult",
    "column_weights",
    "densest_block",
    "dense_blocks",
    "find_dense_blocks",
]

_NEVER = np.iinfo(np.int64).max


@dataclass
class DenseBlock:
    """One dense block: row and column indices (sorted) and its density g = f / (rows + columns)."""

    rows: np.ndarray
    cols: np.ndarray
    density: float


def column_weights(cols: np.ndarray, n_cols: int, c: float = 5.0) -> np.ndarray:
    """Per-edge weight ``1 / log(d_j + c)`` of an edge into column ``j`` of degree ``d_j``."""
    degree = np.bincount(cols, minlength=n_cols).astype(float)
    return 1.0 / np.log(degree[cols] + c)


def densest_block(rows: np.ndarray, cols: np.ndarray, weights: np.ndarray,
                  n_rows: int, n_cols: int, *, epsilon: float = 0.0) -> DenseBlock:
    """The densest block found by peeling the bipartite graph ``rows[k] -- cols[k]``.

    Parameters
    ----------
    rows, cols : the edges, as row and column indices (equal length).
    weights : the weight of each edge (e.g. :func:`column_weights`).
    n_rows, n_cols : the numbers of rows and columns.
    epsilon : each pass removes the nodes whose weighted degree is at most
        ``2 (1 + epsilon)`` times the density; the block found is within that
        factor of the densest one.

    Returns
    -------
    DenseBlock; empty when the graph has no edges.

    Notes
    -----
    ``O(E)`` per pass, vectorised; ``O(log(V) / epsilon)`` passes for a
    positive epsilon.
    """
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    weights = np.asarray(weights, dtype=float)
    if rows.size == 0:
        return DenseBlock(np.zeros(0, np.int64), np.zeros(0, np.int64), 0.0)
    n = n_rows + n_cols
    ends = np.concatenate([rows, cols + n_rows])          # rows 0..n_rows-1, then columns
    both = np.concatenate([weights, weights])
    alive = np.bincount(ends, minlength=n) > 0            # isolated nodes never belong to a block
    removed_at = np.where(alive, _NEVER, -1)
    edge_alive = np.ones(rows.size, dtype=bool)
    best, best_pass, step = -1.0, 0, 0
    size = int(alive.sum())
    while size:
        density = float(weights[edge_alive].sum()) / size
        if density > best:
            best, best_pass = density, step
        on = np.concatenate([edge_alive, edge_alive])
        priority = np.bincount(ends[on], weights=both[on], minlength=n)
        cut = alive & (priority <= 2.0 * (1.0 + epsilon) * density * (1 + 1e-12))
        if not cut.any():                                   # rounding only: take the lightest
            cut = alive & (priority == priority[alive].min())
        alive &= ~cut
        removed_at[cut] = step
        size -= int(cut.sum())
        edge_alive &= alive[rows] & alive[cols + n_rows]
        step += 1
    return _densest_component(rows, cols, weights, n_rows, removed_at >= best_pass)


def _densest_component(rows: np.ndarray, cols: np.ndarray, weights: np.ndarray, n_rows: int,
                       keep: np.ndarray) -> DenseBlock:
    """The densest connected component of the nodes *keep*.

    The densest prefix of a peeling can be a union of unrelated dense groups
    (its density is at most that of its densest part), so it is split into
    components and the densest one kept.
    """
    inside = keep[rows] & keep[cols + n_rows]
    kept = np.flatnonzero(keep)                          # the prefix's nodes, numbered 0..k-1 in order
    a = np.searchsorted(kept, rows[inside])
    b = np.searchsorted(kept, cols[inside] + n_rows)
    comp = np.asarray(edge_graph(kept.size, a, b).connected_components().membership, dtype=np.int64)
    mass = np.bincount(comp[a], weights=weights[inside], minlength=comp.max() + 1)
    size = np.bincount(comp, minlength=comp.max() + 1)
    density = mass / size
    best = int(np.argmax(density))                       # ties: the component of the lowest node
    nodes = kept[comp == best]
    return DenseBlock(nodes[nodes < n_rows], nodes[nodes >= n_rows] - n_rows, float(density[best]))


def dense_blocks(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int, *,
                 max_blocks: int = 50, min_density_ratio: float = 0.5, min_rows: int = 2,
                 c: float = 5.0, epsilon: float = 0.0) -> list[DenseBlock]:
    """Dense blocks, densest first: find one, drop its rows' edges, repeat.

    Stops after *max_blocks* blocks, or when a block has fewer than
    *min_rows* rows or is sparser than *min_density_ratio* times the first
    block.  Column weights are computed once, on the whole graph.
    """
    if epsilon < 0:
        raise ConfigError(f"dense-block epsilon must not be negative, got {epsilon}")
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    weights = column_weights(cols, n_cols, c)
    live = np.ones(rows.size, dtype=bool)
    free = np.ones(n_rows, dtype=bool)
    out: list[DenseBlock] = []
    while len(out) < max_blocks and live.any():
        block = densest_block(rows[live], cols[live], weights[live], n_rows, n_cols, epsilon=epsilon)
        if block.rows.size < min_rows or (out and block.density < min_density_ratio * out[0].density):
            break
        out.append(block)
        free[block.rows] = False
        live &= free[rows]
    return out


# -- inside graphlink detect -------------------------------------------------------


@dataclass
class DenseBlockResult:
    """What :func:`find_dense_blocks` found."""

    n_blocks: int
    n_accounts: int
    densities: list[float] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"n_blocks": self.n_blocks, "n_accounts": self.n_accounts, "densities": self.densities}


def find_dense_blocks(db: Database, config: Config) -> DenseBlockResult:
    """Dense blocks of the graph of :func:`graphlink.graph.build_graph`.

    Looks at the non-hub identifiers of ``communities.dense_block_kinds``.

    Writes the temporary table ``graph_dense_blocks(aid, account_id,
    block_id, rank, density, n_accounts, n_identifiers)``, canonical block
    ids ``'D-' + smallest account_id``; empty when ``communities.dense_blocks``
    is off.  ``communities.dense_block_count``, ``dense_block_min_accounts``
    and ``dense_block_epsilon`` bound the search.
    """
    cc = config.communities
    found: list[DenseBlock] = []
    if cc.dense_blocks:
        counts = graph_sizes(db)
        arrays = db.fetch_numpy("communities/dense_block_edges", {"kinds": list(cc.dense_block_kinds)})
        found = dense_blocks(arrays["aid"], arrays["col"], counts["n_accounts"],
                             counts["n_identifiers"], max_blocks=cc.dense_block_count,
                             min_rows=cc.dense_block_min_accounts, epsilon=cc.dense_block_epsilon)
    sizes = [len(b.rows) for b in found]
    table = pa.table({
        "aid": pa.array(np.concatenate([b.rows for b in found]) if found else [], pa.int64()),
        "rank": pa.array(np.repeat(np.arange(1, len(found) + 1), sizes), pa.int64()),
        "density": pa.array(np.repeat([b.density for b in found], sizes), pa.float64()),
        "n_identifiers": pa.array(np.repeat([len(b.cols) for b in found], sizes), pa.int64()),
    })
    db.register("dense_block_input", table)
    try:
        db.run("communities/graph_dense_blocks")
    finally:
        db.unregister("dense_block_input")
    return DenseBlockResult(len(found), int(sum(sizes)), [round(b.density, 6) for b in found])
