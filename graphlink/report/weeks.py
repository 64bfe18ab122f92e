"""ISO weeks: parsing ``2026-W47``, their UTC windows, and the last complete week in the data.

A report week runs from Monday 00:00 UTC (inclusive) to the next Monday
00:00 UTC (exclusive), the same half-open window every detection run uses.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..db import Database
from ..errors import ConfigError, NotFoundError

__all__ = ["IsoWeek", "parse_week", "last_complete_week", "data_range"]

_WEEK_RE = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class IsoWeek:
    """One ISO 8601 week, e.g. ``IsoWeek(2026, 47)`` printed ``2026-W47``."""

    year: int
    week: int

    def __post_init__(self) -> None:
        try:
            dt.date.fromisocalendar(self.year, self.week, 1)
        except ValueError:
            raise ConfigError(f"{self.year}-W{self.week:02d} is not an ISO week") from None

    @classmethod
    def of(cls, moment: dt.datetime | dt.date) -> "IsoWeek":
        """The ISO week that contains *moment* (a naive UTC datetime or a date)."""
        year, week, _ = moment.isocalendar()
        return cls(year, week)

    @property
    def label(self) -> str:
        """``2026-W47``."""
        return f"{self.year}-W{self.week:02d}"

    @property
    def tag(self) -> str:
        """``2026W47``: the compact form used inside lineage ids."""
        return f"{self.year}W{self.week:02d}"

    @property
    def since(self) -> dt.datetime:
        """Monday 00:00 UTC, the first instant of the week (naive UTC, as stored)."""
        return dt.datetime.combine(dt.date.fromisocalendar(self.year, self.week, 1), dt.time())

    @property
    def until(self) -> dt.datetime:
        """The next Monday 00:00 UTC, the first instant after the week."""
        return self.since + dt.timedelta(days=7)

    def shift(self, weeks: int) -> "IsoWeek":
        """The week *weeks* later (negative: earlier)."""
        return IsoWeek.of(self.since + dt.timedelta(weeks=weeks))

    def __str__(self) -> str:
        return self.label


def parse_week(text: str | IsoWeek) -> IsoWeek:
    """Parse ``2026-W47`` (also ``2026W47``, ``2026-w7``) into an :class:`IsoWeek`.

    Raises
    ------
    ConfigError
        When *text* is not an ISO week.
    """
    if isinstance(text, IsoWeek):
        return text
    m = _WEEK_RE.match(str(text))
    if not m:
        raise ConfigError(f"week {text!r}: expected an ISO week such as 2026-W47")
    return IsoWeek(int(m.group(1)), int(m.group(2)))


def data_range(db: Database) -> tuple[dt.datetime | None, dt.datetime | None]:
    """First and last request time in the database (``None, None`` when there are no requests)."""
    first, last = db.fetch("report/data_range")[0]
    return first, last


def last_complete_week(db: Database) -> IsoWeek:
    """The last ISO week the data covers from its Monday to its Sunday (UTC).

    A week is complete when the requests start on or before its Monday and
    reach its Sunday: the week holding the last request if that request falls
    on a Sunday, otherwise the week before it.

    Raises
    ------
    NotFoundError
        When there are no requests, or the data covers no week from Monday to Sunday.
    """
    first, last = data_range(db)
    if last is None:
        raise NotFoundError("the database has no requests; run 'graphlink ingest' first")
    week = IsoWeek.of(last)
    if last.isoweekday() != 7:
        week = week.shift(-1)
    if first >= week.since + dt.timedelta(days=1):
        raise NotFoundError(
            f"the data ({first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} UTC) covers no whole ISO week; "
            f"name one with --week, e.g. --week {IsoWeek.of(last).label}"
        )
    return week
