"""Communities of the account graph: seeded Leiden plus connected components.

Stage ``communities`` of ``graphlink detect``.  igraph's own Leiden runs on
the weighted account <-> account projection (:mod:`graphlink.graph`) with an
explicit objective, resolution, weights, iteration count and seed:

- **CPM, not modularity, by default.**  Modularity has a resolution limit:
  on large graphs it puts small rings inside communities many times their
  size.  CPM with resolution ``gamma`` keeps a group together when its
  internal link density exceeds ``gamma``, whatever the graph's size.
  (igraph's defaults -- CPM with resolution 1 and no weights -- return
  singletons for a rarity-weighted graph, so every parameter is passed.)
- **Seeded.**  Leiden's random choices come from a ``random.Random(seed)``
  installed as igraph's generator for the call only; vertex ids and edge
  order are fixed in SQL; so the same inputs and config give the same
  partition.
- **Canonical ids.**  The algorithm's labels are arbitrary; clusters are
  named ``'C-' + smallest member account_id`` in SQL
  (``queries/communities/graph_partition.sql``).

Connected components are computed too: every cluster records the component
it lies in and that component's size (a component is usually far bigger than
a ring -- most accounts of a large world end up in one -- so components are
context, not clusters).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Callable

import igraph
import numpy as np
import pyarrow as pa

from .config import CommunityConfig, Config
from .db import Database

__all__ = ["CommunityResult", "leiden", "components", "find_communities", "method_name"]


@dataclass
class CommunityResult:
    """What :func:`find_communities` found."""

    n_vertices: int
    n_edges: int
    n_communities: int
    """Leiden communities, singletons included."""
    n_clusters: int
    """Communities of at least ``min_cluster_size`` accounts."""
    n_clustered: int
    """Accounts in clusters."""
    largest_cluster: int
    n_components: int
    largest_component: int
    quality: float
    """The Leiden objective's value."""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def method_name(config: CommunityConfig) -> str:
    """The method recorded in ``run_clusters.method``: ``leiden-cpm`` or ``leiden-modularity``."""
    return f"leiden-{config.objective.lower()}"


def leiden(graph: igraph.Graph, config: CommunityConfig, *, weights: str | None = "weight") -> tuple[np.ndarray, float]:
    """Leiden communities of *graph*: a membership array and the objective's value.

    Parameters
    ----------
    graph : undirected graph; *weights* names its edge weight attribute
        (``None``: unweighted).
    config : objective (``CPM`` / ``modularity``), resolution, beta,
        n_iterations and seed.

    Notes
    -----
    Roughly linear in the number of vertices and edges per iteration;
    ``n_iterations=2`` bounds the run time (unbounded iteration ran for many
    minutes on large graphs).  Deterministic for a given graph, edge order
    and config.

    Vertices without an edge are singletons whatever the algorithm does, so
    Leiden runs on the others only: most accounts that share an identifier
    have no link heavy enough to keep (one week of the 10M-request world:
    329k of 421k vertices), and leaving them out halved its time.  The
    quality is that of the whole partition: isolated vertices add nothing to
    modularity and ``-resolution / 2`` each to CPM's sum (divided, like the
    rest, by the total edge weight).
    """
    use = weights if weights and weights in graph.edge_attributes() else None
    n = graph.vcount()
    linked = np.flatnonzero(np.asarray(graph.degree(), dtype=np.int64) > 0)
    whole = len(linked) in (0, n)
    sub = graph if whole else graph.induced_subgraph(linked.tolist())
    igraph.set_random_number_generator(random.Random(config.seed))
    try:
        part = sub.community_leiden(
            objective_function=config.objective,
            weights=use,
            resolution=config.resolution,
            beta=config.beta,
            n_iterations=config.n_iterations,
        )
    finally:
        igraph.set_random_number_generator(random)
    found = np.asarray(part.membership, dtype=np.int64)
    quality = float(part.quality)
    if whole:
        return found, quality
    membership = np.empty(n, dtype=np.int64)
    membership[linked] = found
    isolated = np.ones(n, dtype=bool)
    isolated[linked] = False
    n_isolated = int(isolated.sum())
    membership[isolated] = np.arange(n_isolated, dtype=np.int64) + (int(found.max()) + 1)
    total = float(np.sum(sub.es[use])) if use else float(sub.ecount())
    if config.objective == "CPM" and total > 0:
        quality -= config.resolution * n_isolated / 2 / total
    return membership, quality


def components(graph: igraph.Graph) -> np.ndarray:
    """Connected component of every vertex (weak components; O(V + E))."""
    return np.asarray(graph.connected_components().membership, dtype=np.int64)


def _sizes(labels: np.ndarray) -> np.ndarray:
    return np.bincount(labels) if len(labels) else np.zeros(0, dtype=np.int64)


def find_communities(
    db: Database,
    config: Config,
    graph: igraph.Graph,
    *,
    progress: Callable[[str], None] | None = None,
) -> CommunityResult:
    """Cluster *graph* (from :func:`graphlink.graph.to_igraph`) and store the partition.

    Writes the temporary table ``graph_partition(aid, account_id, cluster_id,
    component_id, component_size)``: canonical ids, ``cluster_id`` NULL for
    communities below ``communities.min_cluster_size``.  *progress* is called
    with the name of each step before it runs.
    """
    say = progress or (lambda _step: None)
    cc = config.communities
    say("leiden")
    membership, quality = leiden(graph, cc)
    say("components")
    component = components(graph)
    say("canonical cluster ids")
    n = graph.vcount()
    table = pa.table({
        "aid": pa.array(np.arange(n, dtype=np.int32)),
        "community": pa.array(membership),
        "component": pa.array(component),
    })
    db.register("partition_input", table)
    try:
        db.run("communities/graph_partition", {"min_cluster_size": int(cc.min_cluster_size)})
    finally:
        db.unregister("partition_input")
    sizes = _sizes(membership)
    big = sizes[sizes >= cc.min_cluster_size]
    comp_sizes = _sizes(component)
    return CommunityResult(
        n_vertices=n,
        n_edges=graph.ecount(),
        n_communities=int(len(sizes)),
        n_clusters=int(len(big)),
        n_clustered=int(big.sum()),
        largest_cluster=int(big.max()) if len(big) else 0,
        n_components=int(len(comp_sizes)),
        largest_component=int(comp_sizes.max()) if len(comp_sizes) else 0,
        quality=quality,
    )
