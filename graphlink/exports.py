"""Investigator exports: one cluster or one account's neighbourhood as a graph file.

A selection is read from a detection run's tables (``run_members``,
``run_edges``, ``run_clusters``, ``run_scores``, ``run_hubs``; see
``queries/schema/30_graph.sql``) by the SQL in ``queries/exports/`` and turned
into a networkx graph of accounts and the identifiers they share, then written
as a self-contained HTML page (:mod:`graphlink.html`), GraphML or GEXF.

Selections
----------
cluster : the cluster's members and every identifier at least ``min_shared``
    of them use (hubs included, marked ``is_hub``).
neighbourhood : the accounts within ``hops`` hops of one account, where a hop
    is account -> identifier -> account over non-hub identifiers; every
    identifier the account itself uses, and every identifier at least
    ``min_shared`` of the selected accounts use.

Graph
-----
Node ids are ``"account:<account_id>"`` and ``"<kind>:<value>"``.  Every node
has ``kind`` and ``label`` (the account id or the identifier's value) and its
evidence (request counts, first/last seen, template skeleton, ...); edges have
``weight``, ``n_requests``, ``first_seen`` and ``last_seen``.  The graph's own
attributes say where it came from (run, selection, score, band, reasons).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from .config import Config
from .db import Database
from .errors import GraphlinkError, InputError, NotFoundError
from .html import PageHeader, render_graph_html
from .pipeline import resolve_run

__all__ = [
    "FORMATS",
    "Selection",
    "ExportResult",
    "export_graph",
    "select_cluster",
    "select_neighbourhood",
    "write_graph_file",
    "file_safe_graph",
]

FORMATS = ("html", "graphml", "gexf")
Format = Literal["html", "graphml", "gexf"]


@dataclass
class Selection:
    """A subgraph chosen for an investigator, with what its page header says."""

    graph: nx.Graph
    header: PageHeader
    run_id: int
    focus: str | None = None
    """Node selected when the page opens (the neighbourhood's account)."""


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export_graph` wrote."""

    path: Path
    format: str
    run_id: int
    selection: str
    nodes: int
    edges: int
    nodes_written: int
    edges_written: int
    sampled: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "format": self.format,
            "run_id": self.run_id,
            "selection": self.selection,
            "nodes": self.nodes,
            "edges": self.edges,
            "nodes_written": self.nodes_written,
            "edges_written": self.edges_written,
            "sampled": self.sampled,
        }


# -- the one entry point -------------------------------------------------------


def export_graph(
    db: Database,
    config: Config,
    path: str | Path,
    *,
    fmt: Format = "html",
    cluster_id: str | None = None,
    account_id: str | None = None,
    hops: int = 1,
    run_id: int | None = None,
    min_shared: int = 2,
) -> ExportResult:
    """Write one cluster (``cluster_id``) or one account's neighbourhood (``account_id``) to *path*.

    Parameters
    ----------
    db, config : the database and the effective config (``report.html_node_cap``
        caps what an HTML page draws; GraphML and GEXF are never sampled).
    path : the output file; its folder must exist.
    fmt : ``"html"``, ``"graphml"`` or ``"gexf"``.
    cluster_id, account_id : exactly one of them.
    hops : neighbourhood radius in account -> identifier -> account hops.
    run_id : the detection run; default the newest complete run
        (:func:`graphlink.pipeline.resolve_run`).
    min_shared : draw identifiers used by at least this many selected accounts.

    Raises
    ------
    InputError : bad arguments (both or neither selection, unknown format, ...).
    NotFoundError : no complete run, or the run has no such cluster / account.
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if (cluster_id is None) == (account_id is None):
        raise InputError("name exactly one of a cluster (--cluster) or an account (--account)")
    if cluster_id is not None:
        selection = select_cluster(db, cluster_id, run_id=run_id, min_shared=min_shared)
        what = f"cluster {cluster_id}"
    else:
        selection = select_neighbourhood(db, str(account_id), hops=hops, run_id=run_id, min_shared=min_shared)
        what = f"account {account_id}, {hops} hop{'s' if hops != 1 else ''}"
    graph = selection.graph
    path = Path(path)
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: folder {path.parent} does not exist")
    if fmt == "html":
        page = render_graph_html(
            graph,
            path,
            header=selection.header,
            node_cap=config.report.html_node_cap,
            focus=selection.focus,
            size_attr="_size",
            seed=config.communities.seed,
        )
        written, links, sampled = page.nodes_shown, page.edges_shown, page.sampled
    else:
        write_graph_file(graph, path, fmt)
        written, links, sampled = graph.number_of_nodes(), graph.number_of_edges(), False
    return ExportResult(path, fmt, selection.run_id, what, graph.number_of_nodes(),
                        graph.number_of_edges(), written, links, sampled)


# -- selections --------------------------------------------------------------------


def select_cluster(db: Database, cluster_id: str, *, run_id: int | None = None, min_shared: int = 2) -> Selection:
    """The members of one cluster and the identifiers they share, as a graph.

    Raises
    ------
    NotFoundError : the run has no cluster *cluster_id*.
    """
    _check_min_shared(min_shared)
    run = resolve_run(db, run_id)
    rid = int(run["run_id"])
    rows = db.fetch_dicts("exports/cluster", {"run_id": rid, "cluster_id": cluster_id})
    if not rows:
        largest = db.fetch("exports/largest_clusters", {"run_id": rid})
        hint = (
            f"it has {largest[0][1]:,} clusters, the largest {', '.join(r[0] for r in largest)}"
            if largest else "it has no clusters"
        )
        raise NotFoundError(f"run {rid} has no cluster {cluster_id!r}; {hint}")
    cluster = rows[0]
    db.run("exports/export_accounts_cluster", {"run_id": rid, "cluster_id": cluster_id})
    graph = _build_graph(db, run, min_shared=min_shared, neighbourhood=False)
    reasons = _reasons(cluster["reasons"])
    graph.graph.update(
        {
            "selection": "cluster",
            "cluster_id": cluster_id,
            "score": cluster["score"],
            "band": cluster["band"],
            "reasons": reasons,
        }
    )
    n_ids = graph.number_of_nodes() - cluster["size"]
    header = PageHeader(
        title=f"Cluster {cluster_id}",
        subtitle=(
            f"{cluster['size']:,} accounts and the {n_ids:,} identifiers at least "
            f"{min_shared} of them share" + (f" \u00b7 {cluster['method']}" if cluster.get("method") else "")
        ),
        score=cluster["score"],
        band=cluster["band"],
        reasons=reasons,
        run_id=rid,
        window=_window(run),
        facts=[
            ("accounts", cluster["size"]),
            ("requests", cluster["n_requests"]),
            ("first seen", cluster["first_seen"]),
            ("last seen", cluster["last_seen"]),
            ("shared identifiers", cluster.get("n_identifiers")),
            ("kinds", ", ".join(cluster.get("kinds") or [])),
        ],
    )
    return Selection(graph, header, rid)


def select_neighbourhood(
    db: Database,
    account_id: str,
    *,
    hops: int = 1,
    run_id: int | None = None,
    min_shared: int = 2,
) -> Selection:
    """The accounts within *hops* hops of one account and the identifiers that join them.

    Raises
    ------
    NotFoundError : the account appears nowhere in the data.
    InputError : *hops* is negative.
    """
    _check_min_shared(min_shared)
    if hops < 0:
        raise InputError(f"--hops must be 0 or more, got {hops}")
    run = resolve_run(db, run_id)
    rid = int(run["run_id"])
    (known,) = db.fetch("exports/account_known", {"account_id": account_id})[0]
    if not known:
        raise NotFoundError(f"no account {account_id!r} in the database")
    db.run("exports/export_accounts_neighbourhood", {"run_id": rid, "account_id": account_id, "hops": int(hops)})
    graph = _build_graph(db, run, min_shared=min_shared, neighbourhood=True)
    clusters = db.fetch_dicts("exports/account_clusters", {"run_id": rid, "account_id": account_id})
    best = clusters[0] if clusters else None
    reasons = _reasons(best["reasons"]) if best else []
    focus = f"account:{account_id}"
    graph.graph.update(
        {
            "selection": "neighbourhood",
            "account_id": account_id,
            "hops": int(hops),
            "cluster_id": ", ".join(c["cluster_id"] for c in clusters),
            "score": best["score"] if best else None,
            "band": best["band"] if best else None,
            "reasons": reasons,
        }
    )
    n_accounts = sum(1 for _, k in graph.nodes(data="kind") if k == "account")
    n_ids = graph.number_of_nodes() - n_accounts
    in_cluster = (
        f"member of cluster {best['cluster_id']}" if best and len(clusters) == 1
        else f"member of clusters {', '.join(c['cluster_id'] for c in clusters)}" if clusters
        else "in no cluster of this run"
    )
    header = PageHeader(
        title=f"Account {account_id} \u2014 {hops}-hop neighbourhood",
        subtitle=(
            f"{n_accounts:,} accounts and {n_ids:,} identifiers; {in_cluster}. "
            "Hub identifiers are drawn but not crossed."
        ),
        score=best["score"] if best else None,
        band=best["band"] if best else None,
        reasons=reasons,
        run_id=rid,
        window=_window(run),
        facts=[("account", account_id), ("hops", hops), ("cluster", graph.graph["cluster_id"] or "none")],
    )
    return Selection(graph, header, rid, focus=focus)


def _check_min_shared(min_shared: int) -> None:
    if min_shared < 1:
        raise InputError(f"--min-shared must be at least 1, got {min_shared}")


def _build_graph(db: Database, run: dict[str, Any], *, min_shared: int, neighbourhood: bool) -> nx.Graph:
    """The graph of the selection in the temp table ``export_accounts``."""
    rid = int(run["run_id"])
    db.run("exports/export_edges", {"run_id": rid, "min_shared": int(min_shared)})
    accounts = db.fetch_dicts("exports/account_nodes", {"run_id": rid, "since": run["since"], "until": run["until"]})
    identifiers = db.fetch_dicts("exports/identifier_nodes", {"run_id": rid})
    edges = db.fetch_dicts("exports/edges")
    graph = nx.Graph(run_id=rid, run_finished_at=run["finished_at"], window=_window(run) or "all data")
    for row in accounts:
        account = row.pop("account_id")
        hop = row.pop("hop")
        row.pop("seed")  # whether the account is the neighbourhood's start; the page focuses it instead
        attrs: dict[str, Any] = {"kind": "account", "label": account}
        if neighbourhood:
            attrs["hops"] = hop
        attrs.update(row)
        graph.add_node(f"account:{account}", **attrs)
    for row in identifiers:
        kind, value = row.pop("kind"), row.pop("value")
        graph.add_node(f"{kind}:{value}", kind=kind, label=value, **row)
    for row in edges:
        graph.add_edge(
            f"account:{row['account_id']}",
            f"{row['kind']}:{row['value']}",
            weight=row["weight"],
            n_requests=row["n_requests"],
            first_seen=row["first_seen"],
            last_seen=row["last_seen"],
        )
    _set_sizes(graph)
    return graph


def _set_sizes(graph: nx.Graph) -> None:
    """``_size`` (drawn node size, not exported): request volume; for identifiers whose
    kind has no requests (payment, card BIN, e-mail domain), their accounts' requests."""
    for node, attrs in graph.nodes(data=True):
        if attrs.get("n_requests") is not None:
            attrs["_size"] = int(attrs["n_requests"])
        else:
            attrs["_size"] = sum(int(graph.nodes[a].get("n_requests") or 0) for a in graph.neighbors(node))


def _reasons(raw: Any) -> list[str]:
    """run_scores.reasons (a JSON list of sentences) as a list of strings."""
    if raw is None:
        return []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return [raw]
    if isinstance(raw, dict):
        raw = [f"{k}: {v}" for k, v in raw.items()]
    if not isinstance(raw, list):
        return [str(raw)]
    out = []
    for item in raw:
        if isinstance(item, dict):
            item = item.get("text") or item.get("reason") or json.dumps(item, sort_keys=True, default=str)
        out.append(str(item))
    return out


def _window(run: dict[str, Any]) -> str | None:
    since, until = run.get("since"), run.get("until")
    if since is None and until is None:
        return None

    def fmt(t: dt.datetime | None) -> str:
        if t is None:
            return "\u2026"
        return f"{t:%Y-%m-%d}" if (t.hour, t.minute, t.second) == (0, 0, 0) else f"{t:%Y-%m-%d %H:%M}"

    return f"{fmt(since)} \u2192 {fmt(until)}"


# -- GraphML and GEXF --------------------------------------------------------------


def file_safe_graph(graph: nx.Graph) -> nx.Graph:
    """A copy whose attributes GraphML and GEXF can hold.

    ``None`` and NaN values and attributes whose name starts with ``_`` are
    left out; timestamps become ISO 8601 text; lists become ``"; "``-joined
    text; dicts JSON text; numpy and decimal numbers plain numbers.
    """
    out = nx.Graph()
    out.graph.update(_safe_attrs(graph.graph))
    out.add_nodes_from((str(n), _safe_attrs(d)) for n, d in graph.nodes(data=True))
    out.add_edges_from((str(u), str(v), _safe_attrs(d)) for u, v, d in graph.edges(data=True))
    return out


def _safe_attrs(attrs: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in attrs.items():
        if key.startswith("_"):
            continue
        safe = _safe_value(value)
        if safe is not None:
            out[key] = safe
    return out


def _safe_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return "; ".join(str(_safe_value(v)) for v in items if _safe_value(v) is not None)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    if hasattr(value, "item"):  # numpy scalars
        return _safe_value(value.item())
    return str(value)


def write_graph_file(graph: nx.Graph, path: str | Path, fmt: Literal["graphml", "gexf"]) -> None:
    """Write *graph* as GraphML or GEXF (UTF-8) for Gephi, yEd, Cytoscape and networkx.

    The graph's own attributes (run, selection, score, band, reasons) are
    GraphML graph data; GEXF has no graph attributes, so they become its
    ``<meta><description>``, and its ``lastmodifieddate`` is the run's end
    (``finished_at``) rather than today, so the same run gives the same file.
    """
    safe = file_safe_graph(graph)
    try:
        if fmt == "graphml":
            nx.write_graphml(safe, str(path), encoding="utf-8")
        elif fmt == "gexf":
            _write_gexf(safe, path)
        else:
            raise InputError(f"unknown graph file format {fmt!r}; choose graphml or gexf")
    except OSError as exc:
        raise GraphlinkError(f"cannot write {path}: {exc.strerror or exc}") from None


def _write_gexf(graph: nx.Graph, path: str | Path) -> None:
    from xml.etree.ElementTree import SubElement

    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(graph)
    meta = writer.xml.find("meta")
    if meta is not None:
        finished = str(graph.graph.get("run_finished_at") or "")[:10]
        if finished:
            meta.set("lastmodifieddate", finished)
        about = "; ".join(f"{k}={v}" for k, v in sorted(graph.graph.items()))
        SubElement(meta, "description").text = f"graphlink export: {about}"
    writer.write(str(path))
