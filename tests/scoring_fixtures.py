"""Hand-built worlds for the scoring and evaluation tests.

:class:`Builder` writes accounts, payment methods, requests, templates,
ip_intel rows, labels and a detection run (runs, run_clusters, run_members)
straight into a graphlink database, so every feature can be checked against
a value worked out by hand in the test.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
from typing import Any, Iterable, Mapping, Sequence

import pyarrow as pa

from graphlink.config import Config
from graphlink.db import Database
from graphlink.templates import flag_requests

__all__ = ["Builder", "T0", "at"]

T0 = dt.datetime(2026, 3, 2, 0, 0, 0)
"""Monday 2026-03-02 00:00 UTC: the start of every hand-built window."""


def at(day: int = 0, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    """A time *day* days, *hour* hours ... after :data:`T0`."""
    return T0 + dt.timedelta(days=day, hours=hour, minutes=minute, seconds=second)


def _ip_columns(ip: str) -> tuple[str, int, int, str]:
    addr = ipaddress.ip_address(ip)
    bits = 24 if addr.version == 4 else 64
    net = ipaddress.ip_network(f"{addr}/{bits}", strict=False)
    return str(addr), addr.version, int(addr), str(net)


class Builder:
    """Writes a tiny world into *db*; every method returns what it wrote, for chaining in tests."""

    def __init__(self, db: Database, config: Config | None = None):
        self.db = db
        self.config = config or Config()
        self._seq = 0

    # -- canonical input tables --------------------------------------------

    def account(self, account_id: str, created_at: dt.datetime | None = None, *, org_id: str | None = None,
                country: str | None = None, status: str | None = None, email_domain: str | None = None) -> str:
        self.db.con.execute(
            "INSERT INTO accounts (account_id, created_at, org_id, email_domain, country, status) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [account_id, created_at or at(-100), org_id, email_domain, country, status],
        )
        return account_id

    def accounts(self, ids: Iterable[str], created_at: dt.datetime | None = None, **kw: Any) -> list[str]:
        return [self.account(a, created_at, **kw) for a in ids]

    def payment(self, account_id: str, fingerprint: str, *, method_type: str | None = "card",
                card_bin: str | None = None, billing_country: str | None = None) -> None:
        self.db.con.execute(
            "INSERT INTO payment_methods (account_id, payment_fingerprint, method_type, card_bin, billing_country) "
            "VALUES (?, ?, ?, ?, ?)",
            [account_id, fingerprint, method_type, card_bin, billing_country],
        )

    def request(self, account_id: str, ts: dt.datetime, **kw: Any) -> str:
        """One request (see :meth:`requests` for the keywords); returns its id."""
        return self.requests(account_id, [ts], **kw)[0]

    def requests(self, account_id: str, times: Iterable[dt.datetime], *, ip: str = "10.0.0.1",
                 device: str | None = None, model: str | None = None, prompt: str | None = None,
                 template_id: str | None = None, prompt_tokens: int | None = None,
                 completion_tokens: int | None = None) -> list[str]:
        """Requests of one account at *times*, written in one insert; returns their ids."""
        times = list(times)
        ids = [f"r{self._seq + i + 1:06d}" for i in range(len(times))]
        self._seq += len(times)
        text, version, num, prefix = _ip_columns(ip)
        n = len(times)
        rows = pa.table({
            "request_id": ids, "account_id": [account_id] * n, "ts": times, "ip": [text] * n,
            "ip_version": [version] * n, "ip_num": [str(num)] * n, "ip_prefix": [prefix] * n,
            "device_fingerprint": pa.array([device] * n, pa.string()), "model": pa.array([model] * n, pa.string()),
            "prompt": pa.array([prompt] * n, pa.string()), "template_id": pa.array([template_id] * n, pa.string()),
            "prompt_tokens": pa.array([prompt_tokens] * n, pa.int64()),
            "completion_tokens": pa.array([completion_tokens] * n, pa.int64()),
        })
        con = self.db.con
        con.register("new_rows", rows)
        try:
            con.execute(
                "INSERT INTO requests (request_id, account_id, ts, ip, ip_version, ip_num, ip_prefix, "
                "device_fingerprint, model, prompt, prompt_template_id, prompt_tokens, completion_tokens) "
                "SELECT request_id, account_id, ts, ip, ip_version, ip_num::UHUGEINT, ip_prefix, device_fingerprint, "
                "model, prompt, template_id, prompt_tokens, completion_tokens FROM new_rows"
            )
            if template_id is not None:
                con.execute("INSERT INTO request_templates SELECT request_id, template_id FROM new_rows")
        finally:
            con.unregister("new_rows")
        return ids

    def template(self, template_id: str, *, reasoning: bool = False, grading: bool = False,
                 is_hub: bool = False) -> None:
        self.db.con.execute(
            "INSERT INTO templates (template_id, skeleton, source, n_requests, n_accounts, elicits_reasoning, "
            "grades_outputs, flags, is_hub, n_variants) VALUES (?, NULL, 'upstream', 0, 0, ?, ?, [], ?, 1)",
            [template_id, reasoning, grading, is_hub],
        )

    def intel(self, cidr: str, ip_type: str, *, asn: int | None = None, as_org: str | None = None) -> None:
        net = ipaddress.ip_network(cidr, strict=False)
        self.db.con.execute(
            "INSERT INTO ip_intel (cidr, ip_version, net_lo, net_hi, asn, as_org, ip_type) "
            "VALUES (?, ?, ?::UHUGEINT, ?::UHUGEINT, ?, ?, ?)",
            [str(net), net.version, str(int(net.network_address)), str(int(net.broadcast_address)),
             asn, as_org, ip_type],
        )

    def label(self, account_id: str, label: str, campaign_id: str | None = None,
              extra: Mapping[str, Any] | None = None) -> None:
        self.db.con.execute(
            "INSERT INTO labels (account_id, label, campaign_id, extra) VALUES (?, ?, ?, ?)",
            [account_id, label, campaign_id, json.dumps(extra) if extra else None],
        )

    # -- a detection run ------------------------------------------------------

    def run(self, clusters: Mapping[str, Sequence[str]], *, since: dt.datetime | None = None,
            until: dt.datetime | None = None, status: str = "complete") -> int:
        """Write a run whose clusters are *clusters* (cluster id -> member ids); returns the run id.

        Flags the requests whose prompts contain a reasoning or grading phrase
        first, as the template stage does.
        """
        flag_requests(self.db, self.config)
        con = self.db.con
        (run_id,) = con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchone()
        con.execute(
            "INSERT INTO runs (run_id, started_at, finished_at, status, since, until, config, input_hashes, versions) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, '{}', '{}')",
            [run_id, at(30), at(30), status, since, until, self.config.to_json()],
        )
        for cid, members in sorted(clusters.items()):
            con.execute(
                "INSERT INTO run_clusters (run_id, cluster_id, size, n_requests, method, n_links, internal_weight, "
                "density, n_identifiers, kinds, component_id, component_size) "
                "VALUES (?, ?, ?, 0, 'leiden-cpm', 0, 0.0, 0.0, 0, [], ?, ?)",
                [run_id, cid, len(members), "K-" + min(members), len(members)],
            )
            con.executemany(
                "INSERT INTO run_members (run_id, cluster_id, account_id, n_links, strength) VALUES (?, ?, ?, 0, 0.0)",
                [[run_id, cid, a] for a in members],
            )
        return run_id

    def features(self, run_id: int) -> dict[str, dict[str, Any]]:
        """run_features of a run as {cluster_id: {column: value}}."""
        cur = self.db.con.execute("SELECT * FROM run_features WHERE run_id = ? ORDER BY cluster_id", [run_id])
        cols = [d[0] for d in cur.description]
        return {row[1]: dict(zip(cols, row)) for row in cur.fetchall()}

    def edges(self, run_id: int, edges: Sequence[tuple[str, str, str]]) -> None:
        """run_edges rows (account, kind, value); degree = accounts of the run sharing the identifier."""
        con = self.db.con
        con.executemany(
            "INSERT INTO run_edges (run_id, account_id, kind, value, weight, degree, is_hub) "
            "VALUES (?, ?, ?, ?, 1.0, 0, FALSE)",
            [[run_id, a, k, v] for a, k, v in edges],
        )
        con.execute(
            "UPDATE run_edges AS e SET degree = d.n FROM (SELECT kind, value, count(DISTINCT account_id) AS n "
            "FROM run_edges WHERE run_id = ? GROUP BY kind, value) AS d "
            "WHERE e.run_id = ? AND e.kind = d.kind AND e.value = d.value",
            [run_id, run_id],
        )
