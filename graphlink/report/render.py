"""Write the weekly report's files from the report document.

``clusters.json`` is the document itself; ``clusters.csv`` flattens its
clusters; ``accounts.csv`` is written by DuckDB straight from the run's
tables; ``report.md`` and ``report.html`` render the same document for
people.  Column lists come from the JSON Schema shipped next to this module
(``report.schema.json``), the one place the output layout is defined.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

from jinja2 import Environment
from markupsafe import Markup

from .. import __version__
from ..config import Config
from ..db import Database
from ..errors import GraphlinkError
from ..html.page import template_environment
from .charts import PALETTE, bar_chart, hbar_chart, sparkline
from .lineage import STATUSES

__all__ = [
    "FILES",
    "SCHEMA_PATH",
    "report_schema",
    "clusters_csv_columns",
    "accounts_csv_columns",
    "write_report",
    "md_escape",
]

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
SCHEMA_PATH = HERE / "report.schema.json"
#: The files of a report directory, in the order they are written.
FILES = ("clusters.json", "clusters.csv", "accounts.csv", "report.md", "report.html")

_SIZE_BINS = ((2, 2, "2"), (3, 4, "3-4"), (5, 9, "5-9"), (10, 19, "10-19"), (20, 49, "20-49"),
              (50, 99, "50-99"), (100, 199, "100-199"), (200, None, "200+"))
_STATUS_COLORS = {"new": "#d68910", "grown": "#c0392b", "replaced": "#8e44ad", "merged": "#2c5282",
                  "split": "#2e86c1", "shrunk": "#52be80", "persisting": "#7b8794", "gone": "#bcccdc"}


@lru_cache(maxsize=1)
def report_schema() -> dict[str, Any]:
    """The JSON Schema of clusters.json, with the CSV row layouts under ``$defs``."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def clusters_csv_columns() -> list[str]:
    """Columns of clusters.csv, in order."""
    return list(report_schema()["$defs"]["clusters_csv_row"]["properties"])


def accounts_csv_columns() -> list[str]:
    """Columns of accounts.csv, in order."""
    return list(report_schema()["$defs"]["accounts_csv_row"]["properties"])


def write_report(db: Database, config: Config, doc: dict[str, Any], hourly: dict[str, list[int]], out: Path) -> list[str]:
    """Write every report file into *out* (created if missing); returns the file names."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GraphlinkError(f"cannot create the report folder {out}: {exc.strerror}") from None
    _write_text(out / "clusters.json", json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    _write_clusters_csv(doc, out / "clusters.csv")
    rc = config.report
    db.run("report/accounts_csv", {
        "run_id": doc["run_id"], "path": str(out / "accounts.csv"),
        "bands": list(rc.actions), "actions": list(rc.actions.values()), "evasion_action": rc.evasion_action,
    })
    _write_text(out / "report.md", render_markdown(doc, config))
    _write_text(out / "report.html", render_html(doc, hourly, config))
    return list(FILES)


def _write_text(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise GraphlinkError(f"cannot write {path}: {exc.strerror}") from None


def _write_clusters_csv(doc: dict[str, Any], path: Path) -> None:
    columns = clusters_csv_columns()
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for c in doc["clusters"]:
            writer.writerow([_csv_value(c, col) for col in columns])


def _csv_value(cluster: dict[str, Any], column: str) -> str:
    value = cluster.get(column)
    if column == "reasons":
        return " | ".join(value)
    if column == "prev_cluster_ids":
        return " ".join(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- charts ------------------------------------------------------------------


def _band_of(score: float, config: Config) -> str:
    if score >= config.scoring.high:
        return "high"
    return "medium" if score >= config.scoring.medium else "low"


def charts(doc: dict[str, Any], config: Config) -> dict[str, str]:
    """The page's three summary charts as SVG strings: scores, sizes, changes."""
    scores = [c["score"] for c in doc["clusters"] if c["score"] is not None]
    bins = [0] * 10
    for s in scores:
        bins[min(int(s // 10), 9)] += 1
    score_labels = [f"{10 * i}" for i in range(10)]
    score_colors = [PALETTE[_band_of(10 * i + 5, config)] for i in range(10)]
    unscored = len(doc["clusters"]) - len(scores)
    sizes = [0] * len(_SIZE_BINS)
    for c in doc["clusters"]:
        for i, (lo, hi, _) in enumerate(_SIZE_BINS):
            if c["size"] >= lo and (hi is None or c["size"] <= hi):
                sizes[i] += 1
                break
    return {
        "scores": bar_chart(
            score_labels, bins, colors=score_colors, title="Clusters per score bin",
            x_title="score (colour: band)" + (f"; {unscored} unscored" if unscored else ""),
        ),
        "sizes": bar_chart([b[2] for b in _SIZE_BINS], sizes, title="Clusters per size",
                           x_title="accounts in the cluster"),
        "changes": hbar_chart(list(STATUSES), [doc["changes"][s] for s in STATUSES],
                              colors=[_STATUS_COLORS[s] for s in STATUSES],
                              title="Clusters per change since last week"),
    }


# -- HTML --------------------------------------------------------------------


def _environment() -> Environment:
    return template_environment(str(TEMPLATES))


@lru_cache(maxsize=1)
def _css() -> str:
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    if "</" in css:
        raise GraphlinkError("report.css must not contain '</'")
    return css


def _window_text(doc: dict[str, Any]) -> str:
    since = dt.datetime.fromisoformat(doc["since"].rstrip("Z"))
    last_day = dt.datetime.fromisoformat(doc["until"].rstrip("Z")) - dt.timedelta(days=1)
    return f"{since:%a %d %b %Y} to {last_day:%a %d %b %Y}, UTC"


def _rest(items: Sequence[Any], limit: int) -> tuple[list[Any], int]:
    return list(items[:limit]), max(len(items) - limit, 0)


def render_html(doc: dict[str, Any], hourly: dict[str, list[int]], config: Config) -> str:
    """The self-contained report page: inline CSS and SVG, no script, no network."""
    rc = config.report
    css = _css()
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    csp = f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; base-uri 'none'; form-action 'none'"
    by_id = {c["cluster_id"]: c for c in doc["clusters"]}
    top = [by_id[cid] for cid in doc["top"]]
    since = dt.datetime.fromisoformat(doc["since"].rstrip("Z"))
    sparks = {
        cid: Markup(sparkline(hourly.get(cid, []), start=since, title=f"Requests per hour of {cid}"))
        for cid in doc["top"]
    }
    order = {s: i for i, s in enumerate(STATUSES)}
    changed_all = sorted((c for c in doc["clusters"] if c["change"] != "persisting"),
                         key=lambda c: order.get(c["change"], len(order)))
    changed, changed_more = _rest(changed_all, rc.table_rows)
    listed, listed_more = _rest(doc["clusters"], rc.table_rows)
    evasion, evasion_more = _rest(doc["ban_evasion"], rc.table_rows)
    t, ch, b = doc["totals"], doc["changes"], doc["bands"]
    tiles = [
        ("requests", f"{t['requests']:,}"),
        ("active accounts", f"{t['active_accounts']:,}"),
        ("clusters", f"{t['clusters']:,}"),
        ("high / medium", f"{b['high']:,} / {b['medium']:,}"),
        ("new / grown", f"{ch['new']:,} / {ch['grown']:,}"),
        ("replaced / gone", f"{ch['replaced']:,} / {ch['gone']:,}"),
        ("created after a ban", f"{t['ban_evasion_accounts']:,}"),
    ]
    return _environment().get_template("report.html").render(
        doc=doc, css=Markup(css), csp=csp, version=__version__, window_text=_window_text(doc),
        tiles=tiles, top=top, sparks=sparks, charts={k: Markup(v) for k, v in charts(doc, config).items()},
        changed=changed, changed_more=changed_more, listed=listed, listed_more=listed_more,
        evasion=evasion, evasion_more=evasion_more, top_bands=", ".join(rc.top_bands),
        actions_text=", ".join(f"{band}: {action}" for band, action in rc.actions.items()),
        evasion_action=rc.evasion_action,
    )


# -- Markdown ----------------------------------------------------------------

_MD_SPECIAL = "\\`*_[]<>|#~"


def md_escape(value: Any) -> str:
    """Text safe inside a Markdown paragraph or table cell (one line, no markup)."""
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)


def _md_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(md_escape(v) for v in row) + " |" for row in rows]
    return lines


def _fence(text: str) -> str:
    """A code fence longer than any run of backticks in *text*."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _score(c: dict[str, Any]) -> str:
    return c["band"] + ("" if c["score"] is None else f" {c['score']}")


def render_markdown(doc: dict[str, Any], config: Config) -> str:
    """The report as Markdown: the same sections as the HTML page, without charts."""
    rc = config.report
    prev = doc["previous"]
    t, ch, b = doc["totals"], doc["changes"], doc["bands"]
    lines = [
        f"# Weekly cluster report: {doc['week']}",
        "",
        f"{md_escape(_window_text(doc))}; run {doc['run_id']}; "
        + (f"compared with {prev['week']} (run {prev['run_id']})." if prev else "no earlier week to compare with."),
        "",
        f"Generated {doc['generated_at']} by graphlink {__version__}.",
        "",
        *_md_table(
            ["requests", "active accounts", "clusters", "high", "medium", "low", "new", "grown", "replaced",
             "gone", "created after a ban"],
            [[f"{t['requests']:,}", f"{t['active_accounts']:,}", f"{t['clusters']:,}", b["high"], b["medium"],
              b["low"], ch["new"], ch["grown"], ch["replaced"], ch["gone"], t["ban_evasion_accounts"]]],
        ),
        "",
        "## Clusters to act on",
        "",
    ]
    by_id = {c["cluster_id"]: c for c in doc["clusters"]}
    if not doc["top"]:
        lines += [f"No cluster this week reached the bands {md_escape(', '.join(rc.top_bands))} "
                  "or holds accounts created after a ban.", ""]
    for i, cid in enumerate(doc["top"], 1):
        c = by_id[cid]
        fence = _fence(c["graph_command"])
        lines += [
            f"### {i}. {md_escape(cid)}: {md_escape(_score(c))}, {md_escape(c['recommended_action'])}",
            "",
            f"- Lineage {md_escape(c['lineage_id'])}, change **{md_escape(c['change'])}**: {md_escape(c['change_summary'])}",
            f"- {c['size']:,} accounts, {c['n_requests']:,} requests ({c['requests_per_account']} per account)"
            + (f", {c['n_banned']} banned" if c["n_banned"] else "")
            + (f", {c['n_ban_evasion']} created after a ban" if c["n_ban_evasion"] else ""),
            "- Why:",
            *[f"  - {md_escape(r)}" for r in c["reasons"] or ["No score for this cluster."]],
            "- Binding identifiers: " + (", ".join(
                f"{md_escape(e['kind'])} {md_escape(e['value'])} ({e['n_accounts']} accounts)" for e in c["evidence"]
            ) or "none recorded"),
            "- Open its graph:",
            "",
            f"  {fence}sh",
            f"  {c['graph_command']}",
            f"  {fence}",
            "",
        ]
    order = {s: i for i, s in enumerate(STATUSES)}
    changed_all = sorted((c for c in doc["clusters"] if c["change"] != "persisting"),
                         key=lambda c: order.get(c["change"], len(order)))
    changed, changed_more = _rest(changed_all, rc.table_rows)
    lines += ["## What changed since last week", ""]
    rows = [[c["change"], c["cluster_id"], c["lineage_id"], c["size"], c["prev_size"], _score(c), c["change_summary"]]
            for c in changed]
    rows += [["gone", g["prev_cluster_id"], g["lineage_id"], 0, g["prev_size"],
              g["prev_band"] + ("" if g["prev_score"] is None else f" {g['prev_score']}"),
              "Went quiet: no cluster this week continues it."] for g in doc["gone"]]
    if rows:
        lines += _md_table(["change", "cluster", "lineage", "accounts", "last week", "score", "what happened"], rows)
    else:
        lines.append("Nothing changed: every cluster persists.")
    if changed_more:
        lines += ["", f"{changed_more} more in clusters.csv."]
    lines += ["", "## Accounts created after a ban", ""]
    evasion, evasion_more = _rest(doc["ban_evasion"], rc.table_rows)
    if evasion:
        lines += _md_table(
            ["account", "cluster now", "created", "banned cluster", "lineage", "week", "first ban", "shared identifiers"],
            [[e["account_id"], e["cluster_id"], e["created_at"], e["known_cluster_id"], e["known_lineage_id"],
              e["known_week"], e["first_ban_at"], ", ".join(e["shared_identifiers"])] for e in evasion],
        )
        if evasion_more:
            lines += ["", f"{evasion_more} more in clusters.json."]
    else:
        lines.append("No account created after a ban uses a banned cluster's identifiers.")
    lines += ["", "## All clusters", ""]
    listed, listed_more = _rest(doc["clusters"], rc.table_rows)
    if listed:
        lines += _md_table(
            ["#", "cluster", "band", "score", "action", "change", "accounts", "requests", "first reason"],
            [[i, c["cluster_id"], c["band"], c["score"], c["recommended_action"], c["change"], f"{c['size']:,}",
              f"{c['n_requests']:,}", c["reasons"][0] if c["reasons"] else ""] for i, c in enumerate(listed, 1)],
        )
        if listed_more:
            lines += ["", f"{listed_more} more in clusters.csv."]
    else:
        lines.append("No clusters this week.")
    lines += [
        "",
        "Files: report.html, clusters.json, clusters.csv, accounts.csv (columns in docs/report-schema.md). "
        f"Database {md_escape(doc['database'])}.",
        "",
    ]
    return "\n".join(lines)
