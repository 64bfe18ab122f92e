"""``graphlink detect``: graph -> communities -> scores, recorded as one run.

:func:`detect` runs the stages that exist, in order:

1. templates (:func:`graphlink.templates.ensure_templates`, when that module
   is installed): re-mines prompt templates only when the requests changed;
2. graph (:mod:`graphlink.graph`): account <-> identifier edges, hubs,
   the weighted account <-> account projection, in DuckDB temporary tables;
3. communities (:mod:`graphlink.communities`): seeded Leiden and connected
   components in igraph, canonical cluster ids in SQL; dense blocks
   (:mod:`graphlink.denseblock`) as a second signal;
4. write: every per-run table (``run_hubs``, ``run_edges``, ``run_links``,
   ``run_members``, ``run_evidence``, ``run_dense_blocks``,
   ``run_clusters``), then
   :func:`graphlink.scoring.score_run` when that module is installed, then the
   run's status -- all in **one transaction**.

The run manifest (table ``runs``) is written first, as ``running``, with the
effective config, the input file hashes from ``ingest_log`` plus a row count
and content hash of each input table, and the package versions.  A run that
dies (killed, out of memory, an error) never commits any result: earlier runs
stay intact and readable, the interrupted run is marked ``failed`` (at once
for an error, by the next run for a kill), and the next run succeeds.

The module also answers the read-side commands: :func:`list_clusters`,
:func:`cluster_detail`, :func:`account_detail` (latest complete run unless a
run id is given).
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import json
import platform
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from . import __version__
from .communities import CommunityResult, find_communities, method_name
from .config import Config
from .db import Database
from .denseblock import DenseBlockResult, find_dense_blocks
from .errors import ConfigError, NotFoundError
from .graph import GraphResult, build_graph, drop_graph_tables, to_igraph

__all__ = [
    "RunResult",
    "detect",
    "parse_window",
    "resolve_run",
    "list_clusters",
    "cluster_reasons",
    "cluster_detail",
    "account_detail",
    "WRITE_STEPS",
]

Progress = Callable[[str], None]

WRITE_STEPS = ("run_hubs", "run_edges", "run_links", "run_members", "run_evidence", "run_dense_blocks",
               "run_clusters")
"""The per-run tables, in the order the write step fills them."""

_WEEK_RE = re.compile(r"^(\d{4})-?W(\d{2})$")


@dataclass
class RunResult:
    """What one :func:`detect` run did."""

    run_id: int
    status: str
    since: dt.datetime | None
    until: dt.datetime | None
    week: str | None
    graph: GraphResult
    communities: CommunityResult
    dense_blocks: DenseBlockResult
    scores: dict[str, Any] | None = None
    templates: dict[str, Any] | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time per stage."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id, "status": self.status, "since": self.since, "until": self.until,
            "week": self.week, "graph": self.graph.to_dict(), "communities": self.communities.to_dict(),
            "dense_blocks": self.dense_blocks.to_dict(), "scores": self.scores, "templates": self.templates,
            "seconds": self.seconds,
        }


# -- the time window ------------------------------------------------------------


def _to_utc(value: str | dt.datetime | dt.date | None, name: str) -> dt.datetime | None:
    """An ISO date / datetime (offset converted, none = UTC) as a naive UTC datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    else:
        text = str(value).strip()
        try:
            moment = dt.datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "zZ" else text)
        except ValueError:
            raise ConfigError(
                f"{name}: {value!r} is not an ISO 8601 date or time (e.g. 2026-03-02 or 2026-03-02T12:00Z)"
            ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment


def parse_window(
    config: Config,
    since: str | dt.datetime | None = None,
    until: str | dt.datetime | None = None,
    week: str | None = None,
) -> tuple[dt.datetime | None, dt.datetime | None, str | None]:
    """The run's window ``[since, until)`` in UTC: from *week*, else the arguments, else ``config.graph``.

    *week* is an ISO week such as ``2026-W10``: Monday 00:00 UTC to the next
    Monday.  Raises :class:`ConfigError` for unparsable values, a week given
    together with since/until, or an empty window.
    """
    if week is not None:
        if since is not None or until is not None:
            raise ConfigError("give either a week or since/until, not both")
        m = _WEEK_RE.match(week.strip())
        try:
            monday = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1) if m else None
        except ValueError:
            monday = None
        if monday is None:
            raise ConfigError(f"week: {week!r} is not an ISO week such as 2026-W10")
        start = dt.datetime(monday.year, monday.month, monday.day)
        return start, start + dt.timedelta(days=7), f"{m.group(1)}-W{m.group(2)}"
    lo = _to_utc(since if since is not None else config.graph.since, "since")
    hi = _to_utc(until if until is not None else config.graph.until, "until")
    if lo is not None and hi is not None and lo >= hi:
        raise ConfigError(f"the window is empty: since {lo:%Y-%m-%d %H:%M} is not before until {hi:%Y-%m-%d %H:%M}")
    return lo, hi, None


# -- the run manifest ------------------------------------------------------------


def _versions() -> dict[str, str]:
    import duckdb
    import igraph
    import numpy
    import pyarrow

    return {
        "graphlink": __version__,
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "igraph": igraph.__version__,
        "numpy": numpy.__version__,
        "pyarrow": pyarrow.__version__,
    }


def _input_hashes(db: Database, requests: tuple) -> dict[str, Any]:
    """The run manifest's inputs; *requests* is the ``templates/requests_fingerprint`` row."""
    tables = {r["table_name"]: {"rows": int(r["n_rows"]), "hash": r["content_hash"]}
              for r in db.fetch_dicts("detect/input_fingerprints")}
    fingerprint, _prompts, _upstream, n_requests = requests
    tables["requests"] = {"rows": int(n_requests), "hash": fingerprint}
    return {"files": db.fetch_dicts("detect/input_files"), "tables": tables}


def _optional(module: str) -> Any:
    """The graphlink stage module *module* if it is installed, else None."""
    name = f"graphlink.{module}"
    return importlib.import_module(name) if importlib.util.find_spec(name) is not None else None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _result_dict(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return dict(value.__dict__) if hasattr(value, "__dict__") else {"result": value}


# -- detect ------------------------------------------------------------------------


def detect(
    db: Database,
    config: Config,
    *,
    since: str | dt.datetime | None = None,
    until: str | dt.datetime | None = None,
    week: str | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Find the clusters of the window and record them as a new run.

    Parameters
    ----------
    db : a writable database holding the canonical input tables.
    config : the effective config; stored in the run's manifest.
    since, until : the window (ISO 8601 strings or datetimes, UTC when no
        offset; ``until`` exclusive); default ``config.graph.since/until``,
        else all data.
    week : an ISO week (``2026-W10``) instead of since/until.
    progress : called with a short description before each step.

    Returns
    -------
    RunResult: the run id, the graph and community counts, the scoring
    summary (when scoring is installed) and seconds per stage.

    Raises
    ------
    ConfigError : a bad window or config value.
    GraphlinkError : a stage failed; the run is marked ``failed`` and
        nothing of it is kept.
    """
    lo, hi, week_name = parse_window(config, since, until, week)
    say = progress or (lambda _step: None)
    seconds: dict[str, float] = {}

    # One pass over the requests serves the templates' staleness check and the run manifest.
    requests_state = db.fetch("templates/requests_fingerprint")[0]
    templates = _optional("templates")
    template_result = None
    if templates is not None and hasattr(templates, "ensure_templates"):
        say("templates")
        t0 = time.perf_counter()
        template_result = _result_dict(templates.ensure_templates(db, config, state=requests_state))
        seconds["templates"] = round(time.perf_counter() - t0, 3)

    say("run manifest")
    db.run("detect/mark_interrupted", {"now": _now()})
    ((run_id,),) = db.run("detect/run_start", {
        "started_at": _now(), "since": lo, "until": hi, "week": week_name,
        "config": config.to_json(),
        "input_hashes": json.dumps(_input_hashes(db, requests_state), sort_keys=True, default=str),
        "versions": json.dumps(_versions(), sort_keys=True),
    }).fetchall()
    run_id = int(run_id)
    try:
        t0 = time.perf_counter()
        graph_result = build_graph(db, config, since=lo, until=hi, progress=say)
        seconds["graph"] = round(time.perf_counter() - t0, 3)

        say("hand-off to igraph")
        t0 = time.perf_counter()
        graph = to_igraph(db, config)
        seconds["handoff"] = round(time.perf_counter() - t0, 3)

        t0 = time.perf_counter()
        community_result = find_communities(db, config, graph, progress=say)
        del graph
        seconds["communities"] = round(time.perf_counter() - t0, 3)

        say("dense blocks")
        t0 = time.perf_counter()
        block_result = find_dense_blocks(db, config)
        seconds["dense_blocks"] = round(time.perf_counter() - t0, 3)

        t0 = time.perf_counter()
        stats = {"graph": graph_result.to_dict(), "communities": community_result.to_dict(),
                 "dense_blocks": block_result.to_dict(), "seconds": seconds}
        scores = _write(db, config, run_id, say, stats)
        seconds["write"] = round(time.perf_counter() - t0, 3)
        result = RunResult(run_id, "complete", lo, hi, week_name, graph_result, community_result,
                           block_result, scores, template_result, seconds)
    except BaseException as exc:
        _fail(db, run_id, exc)
        raise
    finally:
        _cleanup(db)
    return result


def _write(db: Database, config: Config, run_id: int, say: Progress, stats: dict[str, Any]) -> dict[str, Any] | None:
    """All per-run rows, scores and the run's completion, in one transaction."""
    scoring = _optional("scoring")
    scores = None
    t0 = time.perf_counter()
    with db.transaction():
        for table in WRITE_STEPS:
            say(f"write {table}")
            params: dict[str, Any] = {"run_id": run_id}
            if table == "run_clusters":
                params["method"] = method_name(config.communities)
            db.run(f"communities/{table}", params)
        if scoring is not None and hasattr(scoring, "score_run"):
            say("scores")
            scores = _result_dict(scoring.score_run(db, config, run_id))
        say("commit")
        stats = {
            **stats,
            "rows": {r["table_name"]: int(r["n"]) for r in db.fetch_dicts("detect/run_counts", {"run_id": run_id})},
        }
        stats["seconds"] = {**stats.get("seconds", {}), "write": round(time.perf_counter() - t0, 3)}
        db.run("detect/run_finish", {"run_id": run_id, "status": "complete", "finished_at": _now(),
                                     "stats": json.dumps(stats, sort_keys=True, default=str)})
    return scores


def _fail(db: Database, run_id: int, exc: BaseException) -> None:
    """Mark the run failed (its results were rolled back); never masks the original error."""
    try:
        db.run("detect/run_finish", {
            "run_id": run_id, "status": "failed", "finished_at": _now(),
            "stats": json.dumps({"error": f"{type(exc).__name__}: {exc}"}),
        })
    except Exception:  # the connection may be gone; the next run marks it
        pass


def _cleanup(db: Database) -> None:
    try:
        drop_graph_tables(db)
        db.drop_tables("graph_partition", "graph_dense_blocks", temp=True)
    except Exception:
        pass


# -- reading runs -------------------------------------------------------------------


def resolve_run(db: Database, run_id: int | None = None) -> dict[str, Any]:
    """The manifest row (run_id, status, started_at, finished_at, since, until, week) of *run_id*,
    default the newest complete run.

    Raises
    ------
    NotFoundError : no such run, the run did not complete, or no run completed yet.
    """
    if run_id is None:
        (latest,) = db.fetch("detect/latest_run")[0]
        if latest is None:
            raise NotFoundError("no complete detection run yet; run 'graphlink detect' first")
        run_id = int(latest)
    rows = db.fetch_dicts("detect/run_info", {"run_id": int(run_id)})
    if not rows:
        raise NotFoundError(f"run {run_id} does not exist; 'graphlink status' lists the runs")
    if rows[0]["status"] != "complete":
        raise NotFoundError(f"run {run_id} is {rows[0]['status']}, it has no results")
    return rows[0]


def _reasons(value: Any) -> list[str]:
    if value is None:
        return []
    return json.loads(value) if isinstance(value, str) else list(value)


def list_clusters(
    db: Database,
    run_id: int | None = None,
    *,
    min_size: int = 2,
    limit: int | None = None,
) -> dict[str, Any]:
    """The clusters of a run (default: the newest complete one), highest score first.

    Returns ``{"run": manifest row, "clusters": [row, ...]}``; each row has
    cluster_id, size, score, band (None when unscored), n_requests,
    first_seen, last_seen, n_identifiers, kinds, density, component_size, method.
    """
    run = resolve_run(db, run_id)
    rows = db.fetch_dicts("detect/clusters", {
        "run_id": run["run_id"], "min_size": int(min_size), "limit": limit,
    })
    return {"run": run, "clusters": rows}


def cluster_reasons(db: Database, run_id: int) -> dict[str, list[str]]:
    """The score reasons of every scored cluster of a run, by cluster id (one query)."""
    return {row["cluster_id"]: _reasons(row["reasons"])
            for row in db.fetch_dicts("detect/cluster_reasons", {"run_id": int(run_id)})}


def cluster_detail(db: Database, cluster_id: str, run_id: int | None = None) -> dict[str, Any]:
    """One cluster of a run with its members and the identifiers that bind it.

    Returns ``{"run", "cluster", "members", "evidence"}``; ``cluster`` holds
    the run_clusters row plus score, band and reasons (a list) when scored.

    Raises
    ------
    NotFoundError : the run or the cluster does not exist.
    """
    run = resolve_run(db, run_id)
    params = {"run_id": run["run_id"], "cluster_id": cluster_id}
    rows = db.fetch_dicts("detect/cluster", params)
    if not rows:
        raise NotFoundError(
            f"cluster {cluster_id} is not in run {run['run_id']}; 'graphlink clusters' lists them"
        )
    cluster = rows[0]
    cluster["reasons"] = _reasons(cluster.get("reasons"))
    return {
        "run": run,
        "cluster": cluster,
        "members": db.fetch_dicts("detect/cluster_members", params),
        "evidence": db.fetch_dicts("detect/cluster_evidence", params),
    }


def account_detail(db: Database, account_id: str, run_id: int | None = None, *, links: int = 10) -> dict[str, Any]:
    """An account: what the data says about it, its shared identifiers, its cluster and strongest links.

    Returns ``{"run", "account", "cluster", "identifiers", "links"}``;
    ``cluster`` is None when the account is in no cluster of the run,
    ``identifiers`` lists the identifiers it shares with other accounts
    (rarest first, hubs last), ``links`` its *links* heaviest links to other
    accounts with the evidence of each.

    Raises
    ------
    NotFoundError : the run or the account does not exist.
    """
    run = resolve_run(db, run_id)
    rows = db.fetch_dicts("detect/account", {"account_id": account_id})
    if not rows:
        raise NotFoundError(f"account {account_id} is not in the database")
    params = {"run_id": run["run_id"], "account_id": account_id}
    cluster = db.fetch_dicts("detect/account_cluster", params)
    return {
        "run": run,
        "account": rows[0],
        "cluster": cluster[0] if cluster else None,
        "identifiers": db.fetch_dicts("detect/account_identifiers", params),
        "links": db.fetch_dicts("detect/account_links", {**params, "limit": int(links)}),
    }
