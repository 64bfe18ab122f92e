"""Assemble the weekly report: pick the week, reuse or make its run, compute lineage, collect the data.

:func:`build_report` is the stage's entry point; :func:`collect_report`
gathers one run's clusters, scores, changes and ban-evasion flags into the
document written as ``clusters.json`` (the HTML and Markdown pages are
rendered from the same document, so the formats never disagree).
"""

from __future__ import annotations

import datetime as dt
import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..config import Config
from ..db import Database
from ..errors import NotFoundError
from .lineage import STATUSES, LineageResult, check_report_config, update_lineage
from .runs import Progress, ensure_week_run, week_volume
from .weeks import IsoWeek, data_range, last_complete_week, parse_week

__all__ = ["SCHEMA_ID", "BANDS", "ReportResult", "build_report", "collect_report", "iso"]

#: Identifies the layout of clusters.json (see docs/report-schema.md).
SCHEMA_ID = "graphlink-report/1"
#: Score bands in order of urgency; clusters without a score are ``unscored``.
BANDS = ("high", "medium", "low", "unscored")
_TOP_FIELDS = ("cluster_id", "lineage_id", "band", "score", "recommended_action", "change", "size", "n_requests")


@dataclass
class ReportResult:
    """What :func:`build_report` wrote."""

    week: str
    run_id: int
    run_reused: bool
    prev_week: str | None
    prev_run_id: int | None
    out_dir: Path
    files: list[str]
    generated_at: str
    clusters: int
    top: list[dict[str, Any]]
    """The action section: cluster_id, lineage_id, band, score, recommended_action, change, size, n_requests."""
    changes: dict[str, int] = field(default_factory=dict)
    ban_evasion_accounts: int = 0

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["out_dir"] = str(self.out_dir)
        return data


def iso(value: dt.datetime | None) -> str | None:
    """A naive UTC timestamp as ``2026-11-16T00:00:00Z`` (sorts as text)."""
    return None if value is None else value.replace(microsecond=0).isoformat() + "Z"


def build_report(
    db: Database,
    config: Config,
    *,
    week: str | IsoWeek | None = None,
    out_dir: str | Path | None = None,
    generated_at: dt.datetime | None = None,
    progress: Progress | None = None,
) -> ReportResult:
    """Write the weekly report of *week* (default: the last complete ISO week in the data).

    Reuses a complete run of the week made with the same detection settings
    or runs detection for Monday 00:00 to Monday 00:00 UTC, computes lineage
    against the previous week (:func:`~graphlink.report.lineage.update_lineage`),
    and writes ``report.html``, ``report.md``, ``clusters.json``,
    ``clusters.csv`` and ``accounts.csv`` into *out_dir* (default
    ``report-<week>``).  Only ``generated_at`` differs between two reports
    of the same week.  *progress* is called with a short description before
    each step (detection, lineage, writing).

    Raises
    ------
    NotFoundError
        When the week has no requests, or the data has no complete week.
    """
    from .render import write_report  # rendering pulls in jinja2

    check_report_config(config.report)
    w = parse_week(week) if week is not None else last_complete_week(db)
    n_requests, n_accounts = week_volume(db, w)
    if n_requests == 0:
        first, last = data_range(db)
        covered = (
            f"the data covers {first:%Y-%m-%d} to {last:%Y-%m-%d} ({IsoWeek.of(first)} to {IsoWeek.of(last)})"
            if last is not None else "the database has no requests; run 'graphlink ingest' first"
        )
        raise NotFoundError(
            f"no requests in week {w} ({w.since:%a %Y-%m-%d} to {w.until - dt.timedelta(days=1):%a %Y-%m-%d} UTC); {covered}"
        )
    run = ensure_week_run(db, config, w, progress=progress)
    lineage = update_lineage(db, config, run.run_id, progress=progress)
    if progress is not None:
        progress(f"{w.label}: writing the report")
    stamp = (generated_at or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(tzinfo=None)
    doc, hourly = collect_report(db, config, w, run.run_id, lineage, volume=(n_requests, n_accounts), generated_at=stamp)
    out = Path(out_dir) if out_dir is not None else Path(f"report-{w.label}")
    files = write_report(db, config, doc, hourly, out)
    return ReportResult(
        week=w.label,
        run_id=run.run_id,
        run_reused=run.reused,
        prev_week=lineage.prev_week,
        prev_run_id=lineage.prev_run_id,
        out_dir=out,
        files=files,
        generated_at=doc["generated_at"],
        clusters=len(doc["clusters"]),
        top=[{k: c[k] for k in _TOP_FIELDS} for c in doc["clusters"] if c["cluster_id"] in set(doc["top"])],
        changes=dict(doc["changes"]),
        ban_evasion_accounts=doc["totals"]["ban_evasion_accounts"],
    )


def collect_report(
    db: Database,
    config: Config,
    week: IsoWeek,
    run_id: int,
    lineage: LineageResult,
    *,
    volume: tuple[int, int],
    generated_at: dt.datetime,
) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """The report document of *run_id* and the hourly request counts of its top clusters.

    Returns
    -------
    doc : the ``clusters.json`` document (schema ``graphlink-report/1``).
    hourly : cluster id -> 168 request counts, one per hour of the week, for the top clusters.
    """
    rc = config.report
    action_params = {"bands": list(rc.actions), "actions": list(rc.actions.values()),
                     "evasion_action": rc.evasion_action}
    clusters = db.fetch_dicts("report/clusters", {"run_id": run_id, **action_params})
    evidence: dict[str, list[dict]] = {}
    for row in db.fetch_dicts("report/evidence", {"run_id": run_id, "per_cluster": rc.evidence_per_cluster}):
        cid = row.pop("cluster_id")
        evidence.setdefault(cid, []).append(row)
    out_clusters = [_cluster(c, evidence.get(c["cluster_id"], []), db.path, run_id) for c in clusters]
    top = [c for c in out_clusters if c["band"] in rc.top_bands or c["n_ban_evasion"] > 0][: rc.top]
    hourly = _hourly(db, run_id, week, [c["cluster_id"] for c in top])
    evasion = [
        {**row, "created_at": iso(row["created_at"]), "first_ban_at": iso(row["first_ban_at"]),
         "shared_identifiers": list(row["shared_identifiers"])}
        for row in db.fetch_dicts("report/ban_evasion", {"run_id": run_id})
    ]
    bands = {b: 0 for b in BANDS}
    for c in out_clusters:
        bands[c["band"] if c["band"] in bands else "unscored"] += 1
    n_requests, n_accounts = volume
    doc = {
        "schema": SCHEMA_ID,
        "generated_at": iso(generated_at),
        "generator": f"graphlink {__version__}",
        "week": week.label,
        "since": iso(week.since),
        "until": iso(week.until),
        "run_id": run_id,
        "database": db.path,
        "previous": (
            {"week": lineage.prev_week, "run_id": lineage.prev_run_id} if lineage.prev_run_id is not None else None
        ),
        "totals": {
            "requests": n_requests,
            "active_accounts": n_accounts,
            "clusters": len(out_clusters),
            "clustered_accounts": sum(c["size"] for c in out_clusters),
            "ban_evasion_accounts": len({e["account_id"] for e in evasion}),
        },
        "bands": bands,
        "changes": {s: int(lineage.statuses.get(s, 0)) for s in STATUSES},
        "top": [c["cluster_id"] for c in top],
        "clusters": out_clusters,
        "gone": db.fetch_dicts("report/gone", {"run_id": run_id}),
        "ban_evasion": evasion,
    }
    for c in out_clusters:
        c["hourly_requests"] = hourly.get(c["cluster_id"])
    return doc, hourly


def _cluster(row: dict[str, Any], evidence: list[dict], db_path: str, run_id: int) -> dict[str, Any]:
    size = int(row["size"])
    prev_size = None if row["prev_size"] is None else int(row["prev_size"])
    cid = row["cluster_id"]
    out = {
        "cluster_id": cid,
        "lineage_id": row["lineage_id"],
        "change": row["change"] or "new",
        "change_summary": "",
        "score": None if row["score"] is None else float(row["score"]),
        "band": row["band"],
        "recommended_action": row["recommended_action"],
        "reasons": [str(r) for r in json.loads(row["reasons_json"] or "[]")],
        "size": size,
        "prev_size": prev_size,
        "size_delta": None if prev_size is None else size - prev_size,
        "n_requests": int(row["n_requests"]),
        "requests_per_account": round(int(row["n_requests"]) / size, 1) if size else 0.0,
        "first_seen": iso(row["first_seen"]),
        "last_seen": iso(row["last_seen"]),
        "n_banned": int(row["n_banned"]),
        "n_ban_evasion": int(row["n_ban_evasion"]),
        "prev_cluster_ids": list(row["prev_cluster_ids"]),
        "prev_lineage_ids": list(row["prev_lineage_ids"]),
        "shared_members": int(row["shared_members"] or 0),
        "shared_identifiers": int(row["shared_identifiers"] or 0),
        "member_jaccard": row["member_jaccard"],
        "identifier_jaccard": row["identifier_jaccard"],
        "evidence": [
            {"kind": e["kind"], "value": e["value"], "n_accounts": int(e["n_accounts"]),
             "n_requests": None if e["n_requests"] is None else int(e["n_requests"])}
            for e in evidence
        ],
        "graph_command": graph_command(db_path, run_id, cid),
    }
    out["change_summary"] = change_summary(out)
    return out


def graph_command(db_path: str, run_id: int, cluster_id: str) -> str:
    """The shell command that writes the interactive HTML graph of one cluster."""
    return (
        f"graphlink --db {shlex.quote(db_path)} export html --run {run_id} "
        f"--cluster {shlex.quote(cluster_id)} -o {shlex.quote(cluster_id + '.html')}"
    )


def _accounts(n: int | None) -> str:
    return f"{n:,} account{'s' if n != 1 else ''}"


def change_summary(c: dict[str, Any]) -> str:
    """One sentence saying what happened to a cluster since last week."""
    prev = ", ".join(c["prev_cluster_ids"])
    status, size, prev_size = c["change"], c["size"], c["prev_size"]
    if status == "new":
        return "New this week: no cluster of last week shares its accounts or identifiers."
    if status == "persisting":
        return f"Continues last week's {prev} ({_accounts(prev_size)} then, {_accounts(size)} now)."
    if status == "grown":
        return f"Grew from {_accounts(prev_size)} to {size:,} (+{size - prev_size:,}) since last week's {prev}."
    if status == "shrunk":
        return f"Shrank from {_accounts(prev_size)} to {size:,} ({size - prev_size:,}) since last week's {prev}."
    if status == "merged":
        return f"Merged from last week's {prev} ({_accounts(prev_size)} together)."
    if status == "split":
        return f"Split from last week's {prev} ({_accounts(prev_size)} then)."
    if status == "replaced":
        text = (
            f"Replaced: none of its {_accounts(size)} was in last week's {prev} ({_accounts(prev_size)}), "
            f"but it uses {c['shared_identifiers']} of that cluster's identifiers."
        )
        if c["n_ban_evasion"]:
            text += f" {_accounts(c['n_ban_evasion'])} signed up after a ban there."
        return text
    return status


def _hourly(db: Database, run_id: int, week: IsoWeek, cluster_ids: list[str]) -> dict[str, list[int]]:
    """Requests per hour of the week (168 values) for each cluster in *cluster_ids*."""
    if not cluster_ids:
        return {}
    hours = int((week.until - week.since).total_seconds() // 3600)
    series = {cid: np.zeros(hours, dtype=np.int64) for cid in cluster_ids}
    data = db.fetch_numpy("report/activity", {"run_id": run_id, "clusters": cluster_ids,
                                              "since": week.since, "until": week.until})
    for cid, arr in series.items():
        mask = data["cluster_id"] == cid
        np.add.at(arr, data["hour"][mask].astype(np.int64), data["n"][mask].astype(np.int64))
    return {cid: [int(v) for v in arr] for cid, arr in series.items()}
