"""What the database holds: tables, row counts, request time range, rejects, runs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .db import Database

__all__ = ["Status", "database_status", "INPUT_TABLES"]

INPUT_TABLES = ("accounts", "payment_methods", "requests", "ip_intel", "labels")


@dataclass
class Status:
    path: str
    tables: dict[str, int]
    first_request: dt.datetime | None
    last_request: dt.datetime | None
    accounts_in_requests: int
    rejects: list[dict] = field(default_factory=list)
    runs: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "database": self.path,
            "tables": self.tables,
            "requests_time_range": {"first": self.first_request, "last": self.last_request},
            "accounts_in_requests": self.accounts_in_requests,
            "rejects": self.rejects,
            "runs": self.runs,
        }


def database_status(db: Database, *, runs: int = 5) -> Status:
    """Summarise the database: row count of every table, request time range, rejects by reason."""
    names = [
        r[0]
        for r in db.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
    ]
    order = {t: i for i, t in enumerate(INPUT_TABLES + ("rejects", "ingest_log", "runs"))}
    names.sort(key=lambda t: (order.get(t, len(order)), t))
    tables = {t: db.count(t) for t in names}
    first, last, accounts = db.fetch("status/request_range")[0]
    rejects = db.fetch_dicts("status/rejects_by_reason")
    recent = db.fetch_dicts("status/runs", {"limit": runs}) if "runs" in tables else []
    return Status(db.path, tables, first, last, int(accounts or 0), rejects, recent)
