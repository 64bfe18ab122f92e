"""Finding, or making, the detection run of an ISO week.

A report reuses a complete run of the same week when it was made with the
same detection settings (every config section except ``database`` and
``report``, which do not change what detection finds) and after the last
data load; otherwise it runs detection for the week's window.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, Callable

from ..config import Config
from ..db import Database
from .weeks import IsoWeek

__all__ = ["WeekRun", "find_week_run", "ensure_week_run", "week_volume", "previous_data_week"]

log = logging.getLogger(__name__)

Progress = Callable[[str], None]

#: Config sections that do not change what detection finds.
_NOT_DETECTION = ("database", "report")


@dataclass(frozen=True)
class WeekRun:
    """The detection run a report uses for one week."""

    week: IsoWeek
    run_id: int
    reused: bool
    """True when an existing run was reused, False when detection ran now."""


def _detection_settings(config: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in config.items() if k not in _NOT_DETECTION}


def find_week_run(db: Database, config: Config, week: IsoWeek) -> int | None:
    """The newest complete run of *week* made with *config*'s detection settings after the last load.

    Returns ``None`` when there is no such run.
    """
    wanted = _detection_settings(json.loads(config.to_json()))
    (last_ingest,) = db.fetch("report/last_ingest")[0]
    for row in db.fetch_dicts("report/week_runs", {"week": week.label}):
        if row["since"] != week.since or row["until"] != week.until:
            continue
        if last_ingest is not None and row["started_at"] < last_ingest:
            continue
        stored = row["config"]
        stored = json.loads(stored) if isinstance(stored, str) else stored
        if _detection_settings(stored or {}) == wanted:
            return int(row["run_id"])
    return None


def week_volume(db: Database, week: IsoWeek) -> tuple[int, int]:
    """Requests and distinct active accounts in *week*."""
    n_requests, n_accounts = db.fetch("report/week_volume", {"since": week.since, "until": week.until})[0]
    return int(n_requests), int(n_accounts)


def previous_data_week(db: Database, week: IsoWeek, *, earliest: IsoWeek) -> IsoWeek | None:
    """The most recent week before *week*, and not before *earliest*, that has requests."""
    if earliest >= week:
        return None
    (last_ts,) = db.fetch("report/previous_request", {"before": week.since, "after": earliest.since})[0]
    return IsoWeek.of(last_ts) if last_ts is not None else None


def ensure_week_run(db: Database, config: Config, week: IsoWeek, *, progress: Progress | None = None) -> WeekRun:
    """Reuse a matching run of *week*, or run detection for its window now.

    Detection is :func:`graphlink.pipeline.detect` with ``week`` = the
    week's label: Monday 00:00 UTC to the next Monday.  *progress* is called
    with a short description before each detection step.
    """
    run_id = find_week_run(db, config, week)
    if run_id is not None:
        log.info("reusing run %s for %s", run_id, week.label)
        return WeekRun(week, run_id, True)
    from ..pipeline import detect  # the detection stage; imported late, it is heavy

    log.info("running detection for %s", week.label)
    say = progress or (lambda _step: None)
    result = detect(db, config, week=week.label, progress=lambda step: say(f"{week.label}: detect: {step}"))
    return WeekRun(week, int(result.run_id), False)
