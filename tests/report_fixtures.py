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

__all__ = ["World", "Cluster", "ids", "two_week_world", "EARLY", "W45_MON", "W46_MON",
           "schema_errors", "typed_csv_row", "W46_SCORES", "XSS"]

@dataclass
class Cluster:
    """One cluster of a hand-made run."""

    members: list[str]
    identifiers: list[tuple[str, str]]
    score: float | None = 50.0
    band: str | None = "medium"
    reasons: list[str] = field(default_factory=lambda: ["Members share a payment instrument."])
    requests_per_member: int = 3
    outside_users: int = 0
    """Accounts outside the cluster that use its identifiers too (raises their degree)."""


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
                         [[run_id, cid, k, v, len(c.members), len(c.members) + c.outside_users, n_req, w.since, w.until]
                          for k, v in c.identifiers],
                         constants="FALSE, 1.0", constant_columns=["is_hub", "weight"])
            self._insert("run_edges", ["run_id", "account_id", "kind", "value", "n_requests", "first_seen",
                                       "last_seen", "degree"],
                         [[run_id, a, k, v, c.requests_per_member, w.since, w.until, len(c.members) + c.outside_users]
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


# -- a strict checker for the subset of JSON Schema that report.schema.json uses --

_KEYWORDS = {"$schema", "$id", "$defs", "$ref", "title", "description", "type", "properties", "required",
             "additionalProperties", "items", "enum", "const", "pattern", "minimum", "maximum", "minItems", "maxItems"}


def _is_type(value, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return {"string": str, "boolean": bool, "array": list, "object": dict, "null": type(None)}[name] is type(value)


def schema_errors(instance, schema: dict, root: dict | None = None, path: str = "$") -> list[str]:
    """Every way *instance* breaks *schema* (an empty list when it conforms).

    Supports the keywords report.schema.json uses and fails loudly on any
    other, so a keyword is never silently ignored.
    """
    import re

    root = root if root is not None else schema
    unknown = set(schema) - _KEYWORDS
    if unknown:
        raise ValueError(f"{path}: unsupported schema keyword(s) {sorted(unknown)}")
    errors: list[str] = []
    if "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/$defs/"), ref
        errors += schema_errors(instance, root["$defs"][ref.removeprefix("#/$defs/")], root, path)
    if "const" in schema and instance != schema["const"]:
        errors.append(f"{path}: expected {schema['const']!r}, got {instance!r}")
    if "enum" in schema and instance not in schema["enum"]:
        errors.append(f"{path}: {instance!r} is not one of {schema['enum']}")
    if "type" in schema:
        types = [schema["type"]] if isinstance(schema["type"], str) else schema["type"]
        if not any(_is_type(instance, t) for t in types):
            return errors + [f"{path}: expected {'/'.join(types)}, got {type(instance).__name__} {instance!r}"]
    if isinstance(instance, str) and "pattern" in schema and not re.search(schema["pattern"], instance):
        errors.append(f"{path}: {instance!r} does not match {schema['pattern']}")
    if _is_type(instance, "number"):
        if "minimum" in schema and instance < schema["minimum"]:
            errors.append(f"{path}: {instance} < {schema['minimum']}")
        if "maximum" in schema and instance > schema["maximum"]:
            errors.append(f"{path}: {instance} > {schema['maximum']}")
    if isinstance(instance, list):
        if "minItems" in schema and len(instance) < schema["minItems"]:
            errors.append(f"{path}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(instance) > schema["maxItems"]:
            errors.append(f"{path}: more than {schema['maxItems']} items")
        for i, item in enumerate(instance):
            errors += schema_errors(item, schema.get("items", {}), root, f"{path}[{i}]")
    if isinstance(instance, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in instance:
                errors.append(f"{path}: missing {key!r}")
        if schema.get("additionalProperties") is False:
            errors += [f"{path}: unexpected {k!r}" for k in instance if k not in props]
        for key, sub in props.items():
            if key in instance:
                errors += schema_errors(instance[key], sub, root, f"{path}.{key}")
    return errors


def typed_csv_row(row: dict[str, str], row_schema: dict, root: dict) -> dict:
    """A CSV row (all strings) converted by its schema: '' -> None where null is allowed,
    integers, numbers and booleans parsed; anything unparsable is left as the string."""
    out = {}
    for key, text in row.items():
        sub = row_schema["properties"].get(key, {})
        if "$ref" in sub:
            sub = {**root["$defs"][sub["$ref"].removeprefix("#/$defs/")], **sub}
        types = sub.get("type", [])
        types = [types] if isinstance(types, str) else types
        value: object = text
        if text == "" and "null" in types:
            value = None
        elif "integer" in types and text.lstrip("-").isdigit():
            value = int(text)
        elif "number" in types:
            try:
                value = float(text)
            except ValueError:
                pass
        elif "boolean" in types and text in ("true", "false"):
            value = text == "true"
        out[key] = value
    return out


#: A markup payload carried by a reason of the report tests.
XSS = "<img src=x onerror=alert(1)>"
#: W46 scores of the report tests (``two_week_world(world, W46_SCORES)``); C-n01 also gets a
#: script tag for a device fingerprint.
W46_SCORES = {
    "C-a01": {"score": 82.0, "band": "high", "reasons": [f"Shares {XSS} | *one* card_bin `x`.", "Second reason."]},
    "C-m01": {"score": 74.0, "band": "high"},
    "C-s01": {"score": 50.0, "band": "medium"},
    "C-r01": {"score": 45.0, "band": "medium"},
    "C-k01": {"score": 41.0, "band": "medium"},
    "C-p01": {"score": 30.0, "band": "low"},
    "C-n01": {"score": 20.0, "band": "low", "identifiers": [("device", "<script>alert(1)</script>")]},
    "C-s05": {"score": None, "band": None},
}


W45_MON = dt.datetime(2026, 11, 2)
W46_MON = dt.datetime(2026, 11, 9)
EARLY = dt.datetime(2026, 10, 1)


def ids(prefix: str, lo: int, hi: int) -> list[str]:
    """``ids("a", 1, 3)`` = ``["a01", "a02", "a03"]``."""
    return [f"{prefix}{i:02d}" for i in range(lo, hi + 1)]


def two_week_world(world: World, w46: dict[str, dict] | None = None) -> tuple[int, int]:
    """Two weeks, 2026-W45 and 2026-W46, with one cluster per kind of change; returns the two run ids.

    W45 -> W46: C-a01 10 -> 14 accounts (grown); C-b01 (6 banned accounts) ->
    C-r01 (6 accounts created after the ban, same payment pb: replaced, ban
    evasion); C-m01 + C-m05 -> C-m01 (merged); C-s01 -> C-s01 + C-s05
    (split); C-p01 (persisting); C-k01 10 -> 7 (shrunk); C-c01 (gone);
    C-n01 (new).  Every cluster scores 50 (medium) unless *w46* sets other
    :class:`Cluster` fields (score, band, reasons) for a W46 cluster.
    """
    for prefix, n in [("a", 14), ("c", 5), ("m", 8), ("s", 8), ("p", 5), ("k", 10), ("n", 4), ("x", 1)]:
        world.accounts(ids(prefix, 1, n), EARLY)
    # b01-b06 banned; their last requests (their ban time) are on W45's Tuesday 10:00-12:00.
    world.accounts(ids("b", 1, 6), EARLY, status="banned")
    # r01-r06 signed up on W45's Thursday, after the ban: the replacements.
    world.accounts(ids("r", 1, 6), W45_MON + dt.timedelta(days=3))
    # x01 signed up before the ban, and uses the banned payment instrument too: not evasion.
    run45 = world.run("2026-W45", {
        "C-a01": Cluster(ids("a", 1, 10), [("payment", "pa"), ("device", "da")]),
        "C-b01": Cluster(ids("b", 1, 6), [("payment", "pb"), ("device", "db")]),
        "C-c01": Cluster(ids("c", 1, 5), [("device", "dc")]),
        "C-m01": Cluster(ids("m", 1, 4), [("ip", "10.0.0.1")]),
        "C-m05": Cluster(ids("m", 5, 8), [("ip", "10.0.0.5")]),
        "C-p01": Cluster(ids("p", 1, 5), [("api_key", "kp")]),
        "C-k01": Cluster(ids("k", 1, 10), [("device", "dk")]),
        "C-s01": Cluster(ids("s", 1, 8), [("email_domain", "s.example")]),
    })
    week46 = {
        "C-a01": Cluster(ids("a", 1, 14), [("payment", "pa"), ("device", "da")]),
        "C-r01": Cluster(ids("r", 1, 6), [("payment", "pb"), ("device", "dr")]),
        "C-m01": Cluster(ids("m", 1, 8), [("ip", "10.0.0.1"), ("ip", "10.0.0.5")]),
        "C-p01": Cluster(ids("p", 1, 5), [("api_key", "kp")]),
        "C-k01": Cluster(ids("k", 1, 7), [("device", "dk")]),
        "C-s01": Cluster(ids("s", 1, 4), [("email_domain", "s.example")]),
        "C-s05": Cluster(ids("s", 5, 8), [("email_domain", "s5.example")]),
        "C-n01": Cluster(ids("n", 1, 4), [("device", "dn")]),
    }
    for cid, fields in (w46 or {}).items():
        for name, value in fields.items():
            setattr(week46[cid], name, value)
    run46 = world.run("2026-W46", week46, extra_edges=[("x01", "payment", "pb")])
    return run45, run46
