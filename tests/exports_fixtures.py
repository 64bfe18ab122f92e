"""A hand-made detection run for the export tests.

The rows follow the run_* contract that ``graphlink detect`` writes
(queries/schema/30_graph.sql, 40_scoring.sql): runs, run_clusters,
run_members, run_edges, run_hubs, run_scores, plus the input tables they
refer to, so every expected node and edge can be worked out by hand:

    run 1 (complete), window 2026-11-02 .. 2026-11-09
    cluster C-a1 = a1 a2 a3   score 91.5 high       cluster C-a4 = a4 a5 (not scored)
    x1 in no cluster; z9 has an account row only

    identifier                 used by (run_edges)   notes
    payment  pm1               a1 a2 a3
    ip       203.0.113.7       a1 a2                  10 + 5 requests
    template T1                a3 a4                  skeleton with a </script> payload
    device   d1                a4 a5
    api_key  k1                a3 x1
    ip       198.51.100.1      a1 a4 x1               hub (degree 400)

    run 2 (failed, newer) repeats some edges with other values; exports must ignore it.

:func:`ring_world` instead runs the real pipeline (graphlink.pipeline.detect)
over hand-made input rows.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from graphlink.db import Database

__all__ = ["XSS_IMG", "XSS_SCRIPT", "SKELETON", "T0", "build_world", "edge_rows", "ring_world"]

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>alert(2)</script>"
SKELETON = XSS_SCRIPT + " Solve step by step: \u00ab\u2026\u00bb"
T0 = dt.datetime(2026, 11, 2)

# (run_id, account, kind, value, n_requests, weight, degree, is_hub)
edge_rows = [
    (1, "a1", "payment", "pm1", None, 0.91, 3, False),
    (1, "a2", "payment", "pm1", None, 0.91, 3, False),
    (1, "a3", "payment", "pm1", None, 0.91, 3, False),
    (1, "a1", "ip", "203.0.113.7", 10, 0.87, 2, False),
    (1, "a2", "ip", "203.0.113.7", 5, 0.87, 2, False),
    (1, "a3", "template", "T1", 20, 1.15, 2, False),
    (1, "a4", "template", "T1", 4, 1.15, 2, False),
    (1, "a4", "device", "d1", 7, 1.01, 2, False),
    (1, "a5", "device", "d1", 9, 1.01, 2, False),
    (1, "a3", "api_key", "k1", 3, 1.44, 2, False),
    (1, "x1", "api_key", "k1", 2, 1.44, 2, False),
    (1, "a1", "ip", "198.51.100.1", 1, 0.0, 400, True),
    (1, "a4", "ip", "198.51.100.1", 1, 0.0, 400, True),
    (1, "x1", "ip", "198.51.100.1", 1, 0.0, 400, True),
    (2, "a1", "payment", "pm-other", None, 0.5, 2, False),
    (2, "z9", "payment", "pm-other", None, 0.5, 2, False),
]


def _insert(db: Database, table: str, columns: list[str], rows: list[list]) -> None:
    marks = ", ".join("?" for _ in columns)
    for row in rows:
        db.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", list(row))


def build_world(path: Path) -> Path:
    """Write the world above into a new DuckDB file at *path* and return the path."""
    with Database(path) as db:
        t = T0
        _insert(db, "accounts", ["account_id", "created_at", "email_domain", "country", "tier", "status"], [
            ["a1", t - dt.timedelta(days=3), "mailbox.example", "US", "api", "active"],
            ["a2", t - dt.timedelta(days=3), "mailbox.example", "US", "api", "active"],
            ["a3", t - dt.timedelta(days=2), "mailbox.example", "SG", "api", "suspended"],
            ["a4", t - dt.timedelta(days=40), None, "DE", "pro", "active"],
            ["a5", t - dt.timedelta(days=40), None, "DE", "pro", "active"],
            ["x1", t - dt.timedelta(days=400), None, "FR", "free", "active"],
            ["z9", t - dt.timedelta(days=1), None, None, None, None],
        ])
        _insert(db, "labels", ["account_id", "label"], [["a1", "distillation"], ["a1", "banned"]])
        _insert(db, "payment_methods", ["account_id", "payment_fingerprint", "method_type", "billing_country"], [
            ["a1", "pm1", "virtual_card", "US"], ["a2", "pm1", "virtual_card", "US"], ["a3", "pm1", "virtual_card", "NL"],
        ])
        # a1: three requests in the window (two with an XSS user agent) and one before it.
        requests = [
            ["r1", "a1", t + dt.timedelta(hours=1), XSS_IMG, "model-x", 100, 400],
            ["r2", "a1", t + dt.timedelta(hours=2), XSS_IMG, "model-x", 100, 400],
            ["r3", "a1", t + dt.timedelta(hours=3), "curl/8.5", "model-y", 50, 10],
            ["r4", "a1", t - dt.timedelta(days=1), "old-agent", "model-z", 1, 1],
            ["r5", "a2", t + dt.timedelta(days=1), "python-requests/2.31", "model-x", 10, 10],
            ["r6", "a3", t + dt.timedelta(days=2), None, None, None, None],
        ]
        _insert(db, "requests", ["request_id", "account_id", "ts", "user_agent", "model", "prompt_tokens",
                                 "completion_tokens", "ip", "ip_version", "ip_num", "ip_prefix"],
                [r + ["203.0.113.7", 4, 3405803783, "203.0.113.0/24"] for r in requests])
        _insert(db, "ip_intel", ["cidr", "ip_version", "net_lo", "net_hi", "asn", "as_org", "ip_type"], [
            ["203.0.113.0/24", 4, 3405803776, 3405804031, 64500, "Example Hosting", "datacenter"],
            ["203.0.0.0/8", 4, 3405774848, 3422552063, 64501, "Example Backbone", "residential"],
        ])
        _insert(db, "templates", ["template_id", "skeleton", "source", "n_requests", "n_accounts",
                                  "elicits_reasoning", "grades_outputs", "flags", "is_hub", "n_variants"], [
            ["T1", SKELETON, "mined", 24, 2, True, False, ["step by step"], False, 1],
        ])
        config = json.dumps({})
        _insert(db, "runs", ["run_id", "started_at", "finished_at", "status", "since", "until",
                             "config", "input_hashes", "versions"], [
            [1, t + dt.timedelta(days=8), t + dt.timedelta(days=8, minutes=1), "complete",
             t, t + dt.timedelta(days=7), config, "{}", "{}"],
            [2, t + dt.timedelta(days=9), None, "failed", None, None, config, "{}", "{}"],
        ])
        cluster_cols = ["run_id", "cluster_id", "size", "n_requests", "first_seen", "last_seen", "method",
                        "n_links", "internal_weight", "density", "n_identifiers", "kinds",
                        "component_id", "component_size"]
        _insert(db, "run_clusters", cluster_cols, [
            [1, "C-a1", 3, 5, t + dt.timedelta(hours=1), t + dt.timedelta(days=2), "leiden-cpm",
             3, 4.5, 1.5, 2, ["ip", "payment"], "K-a1", 6],
            [1, "C-a4", 2, 0, None, None, "leiden-cpm", 1, 1.0, 1.0, 1, ["device"], "K-a1", 6],
            [2, "C-a1", 2, 1, None, None, "leiden-cpm", 1, 0.5, 0.5, 1, ["payment"], "K-a1", 2],
        ])
        _insert(db, "run_members", ["run_id", "cluster_id", "account_id", "n_links", "strength"], [
            [1, "C-a1", "a1", 2, 3.0], [1, "C-a1", "a2", 2, 3.0], [1, "C-a1", "a3", 2, 3.0],
            [1, "C-a4", "a4", 1, 1.0], [1, "C-a4", "a5", 1, 1.0],
            [2, "C-a1", "a1", 1, 0.5], [2, "C-a1", "z9", 1, 0.5],
        ])
        _insert(db, "run_edges", ["run_id", "account_id", "kind", "value", "n_requests", "first_seen",
                                  "last_seen", "weight", "degree", "is_hub"],
                [[r, a, k, v, n, t + dt.timedelta(hours=1), t + dt.timedelta(days=2), w, d, h]
                 for r, a, k, v, n, w, d, h in edge_rows])
        _insert(db, "run_hubs", ["run_id", "kind", "value", "degree", "hub_cap"], [[1, "ip", "198.51.100.1", 400, 50]])
        _insert(db, "run_scores", ["run_id", "cluster_id", "score", "band", "points", "size_factor",
                                   "contributions", "reasons"], [
            [1, "C-a1", 91.5, "high", 120.0, 0.9, json.dumps({"shared_payment": 40}),
             json.dumps(["All 3 accounts pay with one virtual card.", "Reasoning template " + XSS_IMG])],
        ])
    return path


def ring_world(path: Path) -> Path:
    """Four accounts r1-r4 sharing a card, a device and an IP; four loners u1-u4 sharing nothing."""
    from graphlink.config import Config
    from graphlink.pipeline import detect

    with Database(path) as db:
        ring, loners = ["r1", "r2", "r3", "r4"], ["u1", "u2", "u3", "u4"]
        for a in ring + loners:
            db.execute("INSERT INTO accounts (account_id, created_at) VALUES (?, ?)", [a, T0 - dt.timedelta(days=1)])
        for a in ring:
            db.execute("INSERT INTO payment_methods (account_id, payment_fingerprint, method_type) "
                       "VALUES (?, 'pmR', 'virtual_card')", [a])
        for i, a in enumerate(ring + loners):
            for k in range(5):
                ip = "203.0.113.9" if a in ring else f"198.51.{i}.{k + 1}"
                device = "devR" if a in ring else f"dev-{a}"
                db.execute(
                    "INSERT INTO requests (request_id, account_id, ts, ip, ip_version, ip_num, ip_prefix, "
                    "device_fingerprint, user_agent, prompt) "
                    "SELECT $id, $a, $ts, $ip, ip_parse($ip).version, ip_parse($ip).num, "
                    "ip_prefix(ip_parse($ip).version, ip_parse($ip).num), $dev, $ua, $prompt",
                    {"id": f"{a}-{k}", "a": a, "ts": T0 + dt.timedelta(hours=i * 5 + k), "ip": ip, "dev": device,
                     "ua": XSS_IMG, "prompt": f"{XSS_IMG} prompt {k}"},
                )
        detect(db, Config())
    return path
