"""A labelled sample of a graph too big to draw, and its precomputed layout.

A page with more nodes than the cap shows a sample instead of the whole graph.
The sample keeps every node kind that the graph has (so no identifier kind
disappears from the picture) and then the heaviest links, and the page says
how much was left out.  Positions are computed here with igraph, once, so the
browser draws a still picture instead of running a physics simulation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Hashable, Iterable

import igraph as ig
import networkx as nx
import numpy as np

__all__ = ["SampleInfo", "sample_graph", "layout_positions"]

KAMADA_KAWAI_MAX = 600
"""Up to this many nodes the layout is Kamada-Kawai (clearer, O(n²)); above, Fruchterman-Reingold."""


@dataclass(frozen=True)
class SampleInfo:
    """What a sample kept of the graph it was drawn from."""

    nodes_total: int
    edges_total: int
    nodes_kept: int
    edges_kept: int

    @property
    def nodes_left_out(self) -> int:
        return self.nodes_total - self.nodes_kept

    @property
    def edges_left_out(self) -> int:
        return self.edges_total - self.edges_kept


def _edge_order(graph: nx.Graph, weight: str) -> list[tuple[Hashable, Hashable]]:
    """Edges heaviest first; ties broken by the endpoints' ids, so the order is deterministic."""

    def key(edge: tuple[Hashable, Hashable, dict]) -> tuple:
        u, v, data = edge
        a, b = sorted((str(u), str(v)))
        w = data.get(weight)
        return (-(float(w) if w is not None else 0.0), a, b)

    return [(u, v) for u, v, _ in sorted(graph.edges(data=True), key=key)]


def sample_graph(
    graph: nx.Graph,
    cap: int,
    *,
    keep: Iterable[Hashable] = (),
    kind: str = "kind",
    weight: str = "weight",
) -> tuple[nx.Graph, SampleInfo | None]:
    """Keep at most *cap* nodes: every kind, then the heaviest links.

    Parameters
    ----------
    graph : the graph; nodes carry a *kind* attribute, edges a *weight*.
    cap : the most nodes the result may have (at least 1).
    keep : nodes that must stay (e.g. the account a neighbourhood is centred on).
    kind, weight : attribute names.

    Returns
    -------
    ``(graph, None)`` when the graph has at most *cap* nodes, else the sample
    (the subgraph induced by the kept nodes, so links among kept nodes all
    stay) and a :class:`SampleInfo` saying how much was left out.

    Notes
    -----
    First, for every kind, the heaviest link touching a node of that kind is
    taken (a kind with no links contributes its first node by id); then links
    are taken heaviest first while their new endpoints fit under the cap.
    Complexity O(E log E).
    """
    if cap < 1:
        raise ValueError("cap must be at least 1")
    n = graph.number_of_nodes()
    if n <= cap:
        return graph, None
    selected: dict[Hashable, None] = {}  # insertion-ordered set

    def room_for(nodes: Iterable[Hashable]) -> bool:
        new = [x for x in nodes if x not in selected]
        if len(selected) + len(new) > cap:
            return False
        selected.update(dict.fromkeys(new))
        return True

    for node in keep:
        if node in graph and len(selected) < cap:
            selected[node] = None
    order = _edge_order(graph, weight)
    kinds = {data.get(kind) for _, data in graph.nodes(data=True)}
    covered = {graph.nodes[x].get(kind) for x in selected}
    for u, v in order:
        if covered >= kinds:
            break
        missing = {graph.nodes[u].get(kind), graph.nodes[v].get(kind)} - covered
        if missing and room_for((u, v)):
            covered |= missing
    for node in sorted(graph.nodes, key=str):
        if covered >= kinds:
            break
        k = graph.nodes[node].get(kind)
        if k not in covered and room_for((node,)):
            covered.add(k)
    for u, v in order:
        if len(selected) >= cap:
            break
        room_for((u, v))
    sample = graph.subgraph(selected).copy()
    info = SampleInfo(n, graph.number_of_edges(), sample.number_of_nodes(), sample.number_of_edges())
    return sample, info


def layout_positions(
    graph: nx.Graph,
    *,
    seed: int = 42,
    edge_length: float = 120.0,
    radii: dict[Hashable, float] | None = None,
) -> dict[Hashable, tuple[float, float]]:
    """Positions for drawing, computed once with igraph.

    Parameters
    ----------
    graph : any networkx graph.
    seed : the same graph and seed give the same positions.
    edge_length : the median link is drawn about this long (in page pixels).
    radii : drawn node radii; up to :data:`KAMADA_KAWAI_MAX` nodes, nodes are
        then pushed apart until they no longer overlap (identifiers that the
        same accounts share otherwise land on one spot).

    Returns
    -------
    ``{node: (x, y)}`` centred on the origin.

    Notes
    -----
    Kamada-Kawai up to :data:`KAMADA_KAWAI_MAX` nodes (about 1 s with separation),
    which spreads identifiers that many accounts share; Fruchterman-Reingold
    above (it uses a grid: about 0.2 s for 2,000 nodes and 6,000 links).
    igraph draws its random numbers from Python's :mod:`random`; its state is
    seeded for the layout and restored afterwards.
    """
    nodes = sorted(graph.nodes, key=str)
    if not nodes:
        return {}
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(nodes)}
    edges = sorted((min(index[u], index[v]), max(index[u], index[v])) for u, v in graph.edges)
    g = ig.Graph(n=len(nodes), edges=edges)
    state = random.getstate()
    try:
        random.seed(seed)
        spread = float(np.sqrt(len(nodes)))  # a start in a unit square defeats FR's grid (10x slower)
        start = np.random.default_rng(seed).uniform(-spread, spread, size=(len(nodes), 2)).tolist()
        if len(nodes) <= KAMADA_KAWAI_MAX:
            layout = g.layout_kamada_kawai(seed=start)
        else:
            layout = g.layout_fruchterman_reingold(seed=start, niter=500)
        coords = np.asarray(layout.coords, dtype=float)
    finally:
        random.setstate(state)
    coords -= coords.mean(axis=0)
    if edges:
        arr = np.asarray(edges)
        lengths = np.linalg.norm(coords[arr[:, 0]] - coords[arr[:, 1]], axis=1)
        typical = float(np.median(lengths[lengths > 0])) if (lengths > 0).any() else 1.0
    else:
        typical = float(np.abs(coords).max()) or 1.0
    coords *= edge_length / typical
    if radii is not None and len(nodes) <= KAMADA_KAWAI_MAX:
        coords = _separate(coords, np.asarray([float(radii.get(x, 0.0)) for x in nodes]))
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, coords)}



def _separate(coords: np.ndarray, radii: np.ndarray, *, gap: float = 26.0, rounds: int = 80) -> np.ndarray:
    """Push overlapping discs apart: each round moves both nodes of every overlapping pair
    apart along the line joining them (coincident nodes along a direction set by their
    indices).  O(n²) comparisons a round, arithmetic only on the overlapping pairs."""
    pos = coords.astype(float).copy()
    need = radii[:, None] + radii[None, :] + gap
    np.fill_diagonal(need, 0.0)
    need2 = need * need
    for _ in range(rounds):
        dx = pos[:, 0][:, None] - pos[:, 0][None, :]
        dy = pos[:, 1][:, None] - pos[:, 1][None, :]
        i, j = np.nonzero(dx * dx + dy * dy < need2)
        upper = i < j
        i, j = i[upper], j[upper]
        if len(i) == 0:
            break
        vx, vy = dx[i, j], dy[i, j]
        dist = np.hypot(vx, vy)
        angle = (i - j) * 2.399963  # golden angle: distinct directions for coincident nodes
        apart = dist > 1e-9
        safe = np.where(apart, dist, 1.0)
        ux = np.where(apart, vx / safe, np.cos(angle))
        uy = np.where(apart, vy / safe, np.sin(angle))
        push = 0.3 * (need[i, j] - dist)
        move = np.zeros_like(pos)
        np.add.at(move, i, np.stack([ux * push, uy * push], axis=1))
        np.add.at(move, j, -np.stack([ux * push, uy * push], axis=1))
        pos += move
    return pos
