"""Reading the mined templates back: the listing and one template in detail.

These back ``graphlink templates`` and ``graphlink template ID``; a notebook
can call them as well.  Cluster counts come from a detection run (the newest
complete one unless a run id is given) when the run tables exist.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..config import Config
from ..db import Database
from ..errors import NotFoundError
from .mining import TemplateResult, ensure_templates, mine_templates

__all__ = ["TemplateListing", "TemplateDetail", "template_listing", "template_detail", "template_clusters"]


@dataclass
class TemplateListing:
    """The most used templates, and the mining that produced them."""

    mining: TemplateResult
    templates: list[dict[str, Any]]
    run_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"mining": self.mining.to_dict(), "run_id": self.run_id, "templates": self.templates}


@dataclass
class TemplateDetail:
    """One template: its row, example prompts, top accounts and the clusters using it."""

    template: dict[str, Any]
    examples: list[dict[str, Any]]
    accounts: list[dict[str, Any]]
    clusters: list[dict[str, Any]] = field(default_factory=list)
    run_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "template": self.template,
            "examples": self.examples,
            "accounts": self.accounts,
            "clusters": self.clusters,
            "run_id": self.run_id,
        }


def _run(db: Database, run_id: int | None) -> int | None:
    """The run whose clusters to count: *run_id* if given, else the newest complete one."""
    if not (db.table_exists("runs") and db.table_exists("run_members")):
        if run_id is not None:
            raise NotFoundError(f"no run {run_id}: the database has no detection runs yet")
        return None
    if run_id is None:
        return db.fetch("detect/latest_run")[0][0]
    if not db.fetch("detect/run_info", {"run_id": run_id}):
        raise NotFoundError(f"no run {run_id}; 'graphlink status' lists the runs")
    return run_id


def template_clusters(db: Database, run_id: int) -> dict[str, list[dict[str, Any]]]:
    """Template id -> the clusters of run *run_id* whose members use it (queries/templates/template_clusters.sql)."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in db.fetch_dicts("templates/template_clusters", {"run_id": run_id}):
        out[row.pop("template_id")].append(row)
    return dict(out)


def template_listing(
    db: Database, config: Config, *, limit: int = 20, refresh: bool = False, run_id: int | None = None
) -> TemplateListing:
    """Mine templates if the requests changed (always with *refresh*), then list the *limit* most used.

    Each row carries ``n_clusters``: how many clusters of the run use the
    template (``None`` when there is no run).
    """
    mining = mine_templates(db, config) if refresh else ensure_templates(db, config)
    rows = db.fetch_dicts("templates/list_templates", {"limit": limit})
    run = _run(db, run_id)
    clusters = template_clusters(db, run) if run is not None else {}
    for row in rows:
        row["n_clusters"] = len(clusters.get(row["template_id"], [])) if run is not None else None
    return TemplateListing(mining, rows, run)


def template_detail(
    db: Database,
    config: Config,
    template_id: str,
    *,
    examples: int = 5,
    chars: int = 300,
    accounts: int = 10,
    run_id: int | None = None,
) -> TemplateDetail:
    """One template with *examples* prompts (cut at *chars* characters), its top accounts and clusters.

    Raises
    ------
    NotFoundError
        when no template has that id.
    """
    ensure_templates(db, config)
    rows = db.fetch_dicts("templates/template_row", {"template_id": template_id})
    if not rows:
        raise NotFoundError(f"no template {template_id!r}; 'graphlink templates' lists them")
    run = _run(db, run_id)
    return TemplateDetail(
        template=rows[0],
        examples=db.fetch_dicts("templates/template_examples", {"template_id": template_id, "limit": examples, "chars": chars}),
        accounts=db.fetch_dicts("templates/template_accounts", {"template_id": template_id, "limit": accounts}),
        clusters=template_clusters(db, run).get(template_id, []) if run is not None else [],
        run_id=run,
    )
