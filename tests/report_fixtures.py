"""Hand-made detection runs for the report and lineage tests.

:class:`World` writes accounts, requests and complete weekly runs straight
into the tables the detection stage writes (runs, run_clusters, run_members,
run_evidence, run_edges, run_scores; schema in queries/schema), so lineage
and reports can be tested on answers worked out by hand.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from graphlink.config import Config
from graphlink.db import Database
from graphlink.report.weeks import parse_week

__all__ = ["World", "Cluster"]

@dataclass
class Cluster:
    """One cluster of a hand-made run."""

    members: list[str]
    identifiers: list[tuple[str, str]]
    score: float | None = 50.0
    band: str | None = "medium"
    reasons: list[str] = field(default_factory=lambda: ["Members share a payment instrument."])
    requests_per_member: int = 3


class World:
    """A tiny world written straight into a graphlink database."""

    def __init__(self, db: Database, config: Config | None = None):
        self.db = db
        self.config = config or Config()
        self._request_seq = 0

    def account(self, account_id: str, created_at: dt.datetime, *, status: str | None = None,
                extra: dict | None = None) -> None:
        self.accounts([account_id], created_at, status=status, extra=extra)

    def accounts(self, account_ids: list[str], created_at: dt.datetime, *, status: str | None = None,
                 extra: dict | None = None) -> None:
        """Accounts signed up at *created_at* with *status* and an ``extra`` JSON object."""
        blob = json.dumps(extra) if extra else None
        self._insert("accounts", ["account_id", "created_at", "status", "extra"],
                     [[a, created_at, status, blob] for a in account_ids])

    def requests(self, account_id: str, times: list[dt.datetime]) -> None:
        """Requests of *account_id* at *times*, all from 192.0.2.1."""
        self.requests_of([(account_id, t) for t in times])

    def requests_of(self, pairs: list[tuple[str, dt.datetime]]) -> None:
        """Requests (account_id, ts), all from 192.0.2.1."""
        rows = [[f"q{self._request_seq + i + 1:06d}", a, t] for i, (a, t) in enumerate(pairs)]
        self._request_seq += len(rows)
        self._insert("requests", ["request_id", "account_id", "ts"], rows,
                     constants="'192.0.2.1', 4, 3221225985::UHUGEINT, '192.0.2.0/24'",
                     constant_columns=["ip", "ip_version", "ip_num", "ip_prefix"])

    def _insert(self, table: str, columns: list[str], rows: list[list], *, constants: str = "",
                constant_columns: list[str] = ()) -> None:
        """Insert *rows* in one statement (column lists unnested side by side)."""
        if not rows:
            return
        cols = list(zip(*rows))
        params = {f"c{i}": list(col) for i, col in enumerate(cols)}
        select = ", ".join(f"unnest($c{i})" for i in range(len(cols)))
        names = ", ".join(list(columns) + list(constant_columns))
        extra = f", {constants}" if constants else ""
        self.db.con.execute(f"INSERT INTO {table} ({names}) SELECT {select}{extra}", params)

    def run(self, week: str, clusters: dict[str, Cluster], *, extra_edges: list[tuple[str, str, str]] = (),
            config: Config | None = None, status: str = "complete", with_requests: bool = True) -> int:
        """Write a complete run of *week* with *clusters*; returns its run id.

        Every member uses every identifier of its cluster (run_edges), and,
        with *with_requests*, makes ``requests_per_member`` requests on the
        week's Tuesday at 10:00, 11:00, ... UTC.  *extra_edges* are
        (account_id, kind, value) edges of accounts outside the clusters.
        """
        with self.db.transaction():
            return self._run(parse_week(week), clusters, extra_edges, config or self.config, status, with_requests)

    def _run(self, w, clusters, extra_edges, config, status, with_requests) -> int:
        con = self.db.con
        (run_id,) = con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchone()
        cfg = config.to_json()
        con.execute(
            "INSERT INTO runs (run_id, started_at, finished_at, status, since, until, week, config, input_hashes, versions) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{}', '{}')",
            [run_id, w.until, w.until, status, w.since, w.until, w.label, cfg],
        )
        tuesday = w.since + dt.timedelta(days=1, hours=10)
        requests: list[tuple[str, dt.datetime]] = []
        for cid, c in sorted(clusters.items()):
            n_req = len(c.members) * c.requests_per_member
            pairs = len(c.members) * (len(c.members) - 1) // 2
            con.execute(
                "INSERT INTO run_clusters (run_id, cluster_id, size, n_requests, first_seen, last_seen, method, "
                "n_links, internal_weight, density, n_identifiers, kinds, component_id, component_size) "
                "VALUES (?, ?, ?, ?, ?, ?, 'leiden-cpm', ?, ?, 1.0, ?, ?, ?, ?)",
                [run_id, cid, len(c.members), n_req, tuesday,
                 tuesday + dt.timedelta(hours=c.requests_per_member - 1), pairs, float(pairs),
                 len(c.identifiers), sorted({k for k, _ in c.identifiers}), "K-" + min(c.members), len(c.members)],
            )
            self._insert("run_members", ["run_id", "cluster_id", "account_id", "n_links", "strength"],
                         [[run_id, cid, a, len(c.members) - 1, float(len(c.members) - 1)] for a in c.members])
            self._insert("run_evidence", ["run_id", "cluster_id", "kind", "value", "n_accounts", "degree",
                                          "n_requests", "first_seen", "last_seen"],
                         [[run_id, cid, k, v, len(c.members), len(c.members), n_req, w.since, w.until]
                          for k, v in c.identifiers],
                         constants="FALSE, 1.0", constant_columns=["is_hub", "weight"])
            self._insert("run_edges", ["run_id", "account_id", "kind", "value", "n_requests", "first_seen",
                                       "last_seen", "degree"],
                         [[run_id, a, k, v, c.requests_per_member, w.since, w.until, len(c.members)]
                          for a in c.members for k, v in c.identifiers],
                         constants="1.0, FALSE", constant_columns=["weight", "is_hub"])
            if c.score is not None:
                con.execute(
                    "INSERT INTO run_scores (run_id, cluster_id, score, band, points, size_factor, contributions, reasons) "
                    "VALUES (?, ?, ?, ?, ?, 1.0, '{}', ?)",
                    [run_id, cid, c.score, c.band, c.score, json.dumps(c.reasons)],
                )
            if with_requests:
                requests += [(a, tuesday + dt.timedelta(hours=i)) for a in c.members for i in range(c.requests_per_member)]
        if extra_edges:
            self._insert("run_edges", ["run_id", "account_id", "kind", "value", "first_seen", "last_seen"],
                         [[run_id, a, k, v, w.since, w.until] for a, k, v in extra_edges],
                         constants="1, 1.0, 2, FALSE", constant_columns=["n_requests", "weight", "degree", "is_hub"])
        self.requests_of(requests)
        return run_id
