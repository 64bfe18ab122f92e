"""The weekly cluster report for enforcement, with week-over-week lineage.

:func:`build_report` picks the week (default: the last complete ISO week in
the data), reuses or makes its detection run, matches its clusters to the
previous week's (:func:`update_lineage`), flags ban evasion, and writes a
report folder: ``report.html`` (self-contained, inline SVG charts),
``report.md``, ``clusters.json``, ``clusters.csv`` and ``accounts.csv``.
The JSON and CSV layouts are defined by ``report.schema.json`` in this
package and documented in ``docs/report-schema.md``.
"""

from .build import SCHEMA_ID, ReportResult, build_report, collect_report
from .lineage import STATUSES, LineageResult, update_lineage
from .render import SCHEMA_PATH, report_schema
from .runs import WeekRun, ensure_week_run, find_week_run
from .weeks import IsoWeek, last_complete_week, parse_week

__all__ = [
    "build_report",
    "collect_report",
    "ReportResult",
    "SCHEMA_ID",
    "SCHEMA_PATH",
    "report_schema",
    "update_lineage",
    "LineageResult",
    "STATUSES",
    "ensure_week_run",
    "find_week_run",
    "WeekRun",
    "IsoWeek",
    "parse_week",
    "last_complete_week",
]
