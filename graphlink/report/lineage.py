"""Cluster lineage across weeks, and ban-evasion flags.

Each week's clusters are matched to the previous week's by overlap of their
members and of their own identifiers (SQL in ``queries/lineage``): binding
identifiers of the kinds in ``report.identity_kinds`` that are used mostly by
the cluster's members (``report.identity_ownership``).  Each
cluster gets a lineage id that stays the same while the operator behind it
does, and a change status:

``new``
    linked to no cluster of the previous week.
``persisting``, ``grown``, ``shrunk``
    linked to one cluster, sharing members with it; grown or shrunk when the
    size changed by at least ``report.size_change`` (a fraction) and
    ``report.size_change_min`` accounts.
``replaced``
    linked to one cluster by identifiers only: the same payment instruments,
    devices, keys or addresses, but none of the same accounts.
``merged``
    linked to two or more clusters of the previous week.
``split``
    linked to one cluster that is linked to two or more of this week's.
``gone``
    a previous week's cluster linked to none of this week's.

A cluster inherits the lineage id of its strongest predecessor when it is
also that predecessor's strongest successor; otherwise it starts a lineage
``L-<year>W<week>-<cluster id>``.  Lineage is computed once per run and
kept: later reports reuse it, so lineage ids never change under a reader.

Ban evasion: accounts created after the ban of an account in a known cluster
(this week's, or an earlier week's of the chain) that use that cluster's own
identifiers.  The input has no ban time, so an account's ban time is
``accounts.extra.banned_at`` when present, else its last request.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from ..config import Config, ReportConfig
from ..db import Database
from ..errors import ConfigError, NotFoundError
from .runs import Progress, ensure_week_run, previous_data_week
from .weeks import IsoWeek, parse_week

__all__ = ["STATUSES", "LineageResult", "update_lineage", "check_report_config"]

log = logging.getLogger(__name__)

#: Change statuses, in the order reports list them.
STATUSES = ("new", "grown", "replaced", "merged", "split", "shrunk", "persisting", "gone")


@dataclass
class LineageResult:
    """Lineage of one run against the previous week's run."""

    run_id: int
    week: str
    prev_run_id: int | None
    prev_week: str | None
    computed: bool
    """False when the lineage was already stored and is reused as is."""
    statuses: dict[str, int] = field(default_factory=dict)
    """Rows of run_lineage per status."""
    ban_evasion_accounts: int = 0

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def check_report_config(rc: ReportConfig) -> None:
    """Reject report settings that make no sense (raises :class:`ConfigError` naming the key)."""
    for key in ("link_jaccard", "link_containment", "identity_ownership"):
        value = getattr(rc, key)
        if not 0 < value <= 1:
            raise ConfigError(f"report.{key}: must be in (0, 1], got {value}")
    if not 0 < rc.size_change < 1:
        raise ConfigError(f"report.size_change: must be in (0, 1), got {rc.size_change}")
    for key in ("link_min_shared", "size_change_min", "evasion_min_shared", "top", "evidence_per_cluster"):
        if getattr(rc, key) < 1:
            raise ConfigError(f"report.{key}: must be at least 1, got {getattr(rc, key)}")
    for key in ("lineage_weeks", "evasion_weeks", "table_rows"):
        if getattr(rc, key) < 0:
            raise ConfigError(f"report.{key}: must not be negative, got {getattr(rc, key)}")
    if not rc.identity_kinds:
        raise ConfigError("report.identity_kinds: name at least one identifier kind")


def _run_week(db: Database, run_id: int) -> IsoWeek:
    rows = db.fetch_dicts("report/run_info", {"run_id": run_id})
    if not rows:
        raise NotFoundError(f"run {run_id} does not exist; see 'graphlink status'")
    if not rows[0]["week"]:
        raise NotFoundError(f"run {run_id} is not a weekly run (it has no ISO week); lineage compares weeks")
    return parse_week(rows[0]["week"])


def update_lineage(
    db: Database,
    config: Config,
    run_id: int,
    *,
    earliest: IsoWeek | None = None,
    progress: Progress | None = None,
) -> LineageResult:
    """Compute the lineage of weekly run *run_id*, unless it is stored already.

    The previous week is the most recent earlier week with requests, at most
    ``report.lineage_weeks`` weeks back (or back to *earliest*).  Its run is
    reused or made with :func:`~graphlink.report.runs.ensure_week_run`, and
    its own lineage computed first, so lineage ids carry over week to week.

    *progress* is called with a short description before each step.
    Writes lineage_runs, lineage_links, run_lineage and run_ban_evasion.
    Cost: a few joins over the run's members, evidence and edges; detection
    for each earlier week that has no run yet.
    """
    check_report_config(config.report)
    week = _run_week(db, run_id)
    if earliest is None:
        earliest = week.shift(-config.report.lineage_weeks)
    stored = db.fetch_dicts("lineage/lineage_state", {"run_id": run_id})
    if stored:
        return _result(db, stored[0], computed=False)
    prev_week = previous_data_week(db, week, earliest=earliest)
    prev_run_id = None
    if prev_week is not None:
        prev_run_id = ensure_week_run(db, config, prev_week, progress=progress).run_id
        update_lineage(db, config, prev_run_id, earliest=earliest, progress=progress)
    if progress is not None:
        progress(f"{week.label}: lineage")
    _compute(db, config, run_id, week, prev_run_id, prev_week)
    return _result(db, db.fetch_dicts("lineage/lineage_state", {"run_id": run_id})[0], computed=True)


def _compute(
    db: Database, config: Config, run_id: int, week: IsoWeek, prev_run_id: int | None, prev_week: IsoWeek | None
) -> None:
    rc = config.report
    prev_label = prev_week.label if prev_week else None
    with db.transaction():
        if prev_run_id is not None:
            db.run("lineage/lineage_links", {
                "run_id": run_id, "prev_run_id": prev_run_id, "kinds": list(rc.identity_kinds),
                "ownership": rc.identity_ownership,
                "link_jaccard": rc.link_jaccard, "link_containment": rc.link_containment,
                "link_min_shared": rc.link_min_shared,
            })
        db.run("lineage/run_lineage", {
            "run_id": run_id, "week": week.label, "week_tag": week.tag,
            "prev_run_id": prev_run_id, "prev_week": prev_label,
            "size_change": rc.size_change, "size_change_min": rc.size_change_min,
        })
        db.run("lineage/lineage_runs", {
            "run_id": run_id, "week": week.label, "prev_run_id": prev_run_id, "prev_week": prev_label,
            "computed_at": dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0),
        })
        known = [int(r[0]) for r in db.fetch("lineage/chain", {"run_id": run_id, "depth": rc.evasion_weeks})]
        db.run("lineage/run_ban_evasion", {
            "run_id": run_id, "known_runs": known, "kinds": list(rc.identity_kinds),
            "ownership": rc.identity_ownership, "min_shared": rc.evasion_min_shared,
        })


def _result(db: Database, state: dict, *, computed: bool) -> LineageResult:
    run_id = int(state["run_id"])
    counts = dict(db.fetch("lineage/status_counts", {"run_id": run_id}))
    (n_evasion,) = db.fetch("lineage/evasion_count", {"run_id": run_id})[0]
    return LineageResult(
        run_id=run_id,
        week=state["week"],
        prev_run_id=state["prev_run_id"],
        prev_week=state["prev_week"],
        computed=computed,
        statuses={s: int(counts.get(s, 0)) for s in STATUSES},
        ban_evasion_accounts=int(n_evasion),
    )
