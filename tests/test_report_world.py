"""End to end: CSV files -> ingest -> detect per week -> lineage -> report, on a three-week world.

Weeks 2026-W45 (Mon 2 Nov), W46 (Mon 9 Nov), W47 (Mon 16 Nov).  Every
campaign account makes 3 requests a day (09:00, 13:00, 17:00 UTC) from its
campaign's IP with its campaign's device and card; every benign account
u01-u12 has its own IP (own /24), device, card and key.

- G (grows): g01-g06 in W45; g01-g10 in W46 and W47 (g07-g10 sign up 8 Nov).
- B (banned, replaced): b01-b05 in W45, banned on Thu 5 Nov 12:00 (banned_at
  column), last request Thu 09:00.  Their replacements b06-b10 sign up on 6
  Nov and from W46 on use B's card and device (a new IP).
- N (new): n01-n04 in W46 only.

Expected, worked out from the lineage rules (identity kinds payment, device,
api_key, ip, email_domain; link at Jaccard >= 0.3):
W46: G 6 -> 10 shares 6 members (Jaccard 0.6): grown.  B' shares no member
with B but 2 of the 4 identity identifiers {card, device, ip .7, ip .8}
(Jaccard 0.5): replaced, B's lineage, b06-b10 flagged (created 6 Nov, after
the 5 Nov ban, using card and device of C-b01).  N: new.
W47: G and B' the same accounts: persisting; N gone.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from graphlink.config import Config
from graphlink.db import Database
from graphlink.ingest import ingest
from graphlink.report import build_report

W45 = dt.datetime(2026, 11, 2)
HOURS = (9, 13, 17)


def _ids(prefix: str, lo: int, hi: int) -> list[str]:
    return [f"{prefix}{i:02d}" for i in range(lo, hi + 1)]


def _write(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def _world(folder: Path) -> None:
    accounts, payments, requests = [], [], []
    seq = iter(range(1, 1_000_000))

    def account(aid, created, status="active", banned_at=""):
        accounts.append([aid, created.isoformat(), status, banned_at])

    def pay(aid, fingerprint, bin_):
        payments.append([aid, fingerprint, "prepaid", bin_, (W45 - dt.timedelta(days=30)).isoformat()])

    def traffic(aid, days, ip, device, key, until=None):
        for d in days:
            for h in HOURS:
                ts = W45 + dt.timedelta(days=d, hours=h)
                if until is None or ts < until:
                    requests.append([f"r{next(seq):06d}", aid, ts.isoformat(), ip, device, key, "model-x"])

    w45, w46, w47, w46_47 = range(0, 7), range(7, 14), range(14, 21), range(7, 21)
    for i, aid in enumerate(_ids("g", 1, 10), 1):
        account(aid, dt.datetime(2026, 10, 20) if i <= 6 else dt.datetime(2026, 11, 8))
        pay(aid, "pm-g", "411111")
        traffic(aid, range(0, 21) if i <= 6 else w46_47, "203.0.113.7", "dev-g", f"key-{aid}")
    ban = dt.datetime(2026, 11, 5, 12)
    for aid in _ids("b", 1, 5):
        account(aid, dt.datetime(2026, 10, 25), "banned", ban.isoformat())
        pay(aid, "pm-b", "422222")
        traffic(aid, w45, "198.51.100.7", "dev-b", f"key-{aid}", until=ban - dt.timedelta(hours=2))
    for aid in _ids("b", 6, 10):
        account(aid, dt.datetime(2026, 11, 6, 8))
        pay(aid, "pm-b", "422222")
        traffic(aid, w46_47, "198.51.100.8", "dev-b", f"key-{aid}")
    for aid in _ids("n", 1, 4):
        account(aid, dt.datetime(2026, 11, 9))
        pay(aid, "pm-n", "433333")
        traffic(aid, w46, "192.0.2.55", "dev-n", f"key-{aid}")
    for i, aid in enumerate(_ids("u", 1, 12), 1):
        account(aid, dt.datetime(2026, 9, 1))
        pay(aid, f"pm-{aid}", f"5{i:05d}")
        traffic(aid, range(0, 21), f"100.{64 + i}.0.9", f"dev-{aid}", f"key-{aid}")
    _write(folder / "accounts.csv", ["account_id", "created_at", "status", "banned_at"], accounts)
    _write(folder / "payment_methods.csv",
           ["account_id", "payment_fingerprint", "method_type", "card_bin", "added_at"], payments)
    _write(folder / "requests.csv",
           ["request_id", "account_id", "ts", "ip", "device_fingerprint", "api_key_id", "model"], requests)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The ingested world and the W47 and W46 reports (W47 first: it builds W45 and W46 on the way)."""
    root = tmp_path_factory.mktemp("world")
    (root / "in").mkdir()
    _world(root / "in")
    db = Database(root / "world.duckdb")
    config = Config()
    ingest(db, config, [str(root / "in")])
    latest = build_report(db, config, out_dir=root / "w47")
    earlier = build_report(db, config, week="2026-W46", out_dir=root / "w46")
    again = build_report(db, config, week="2026-W47", out_dir=root / "w47-again")
    yield db, latest, earlier, again
    db.close()


def _doc(result) -> dict:
    return json.loads((result.out_dir / "clusters.json").read_text(encoding="utf-8"))


def _by_member(doc: dict, members: set[str]) -> dict:
    """The cluster of the report whose id names one of *members* (ids are 'C-' + smallest member)."""
    found = [c for c in doc["clusters"] if c["cluster_id"][2:] in members]
    assert len(found) == 1, [c["cluster_id"] for c in doc["clusters"]]
    return found[0]


def test_default_week_and_runs(world):
    db, latest, earlier, again = world
    assert latest.week == "2026-W47" and latest.prev_week == "2026-W46"
    # W47 is detected first; its lineage needs W46, whose lineage needs W45 (report.lineage_weeks = 2).
    # The W46 report and the second W47 report reuse those runs.
    weeks = db.execute("SELECT week FROM runs WHERE status = 'complete' ORDER BY run_id").fetchall()
    assert [w for (w,) in weeks] == ["2026-W47", "2026-W46", "2026-W45"]
    assert earlier.run_reused and again.run_reused and not latest.run_reused


def test_week_46_grown_replaced_new(world):
    db, latest, earlier, again = world
    doc = _doc(earlier)
    ids = {c["cluster_id"] for c in doc["clusters"]}
    assert ids == {"C-g01", "C-b06", "C-n01"}, ids  # the benign accounts share nothing
    g, b, n = (_by_member(doc, {m}) for m in ("g01", "b06", "n01"))
    assert (g["change"], g["size"], g["prev_size"], g["lineage_id"]) == ("grown", 10, 6, "L-2026W45-C-g01")
    assert (b["change"], b["size"], b["prev_cluster_ids"], b["lineage_id"]) == \
        ("replaced", 5, ["C-b01"], "L-2026W45-C-b01")
    assert b["n_ban_evasion"] == 5 and b["recommended_action"] == "enforce"
    assert (n["change"], n["lineage_id"], n["prev_size"]) == ("new", "L-2026W46-C-n01", None)
    assert "C-b06" in doc["top"]
    flagged = {(e["account_id"], e["known_cluster_id"], e["first_ban_at"], tuple(e["shared_identifiers"]))
               for e in doc["ban_evasion"]}
    assert flagged == {(a, "C-b01", "2026-11-05T12:00:00Z", ("device:dev-b", "payment:pm-b"))
                       for a in _ids("b", 6, 10)}
    assert doc["gone"] == []


def test_week_47_persisting_and_gone(world):
    db, latest, earlier, again = world
    doc = _doc(latest)
    g, b = _by_member(doc, {"g01"}), _by_member(doc, {"b06"})
    assert (g["change"], g["lineage_id"]) == ("persisting", "L-2026W45-C-g01")
    assert (b["change"], b["lineage_id"]) == ("persisting", "L-2026W45-C-b01")
    assert [(x["lineage_id"], x["prev_cluster_id"], x["prev_size"]) for x in doc["gone"]] == \
        [("L-2026W46-C-n01", "C-n01", 4)]
    # b06-b10 still use the card and device of W45's C-b01, the only cluster holding banned accounts
    assert {e["account_id"] for e in doc["ban_evasion"]} == set(_ids("b", 6, 10))
    assert {e["known_week"] for e in doc["ban_evasion"]} == {"2026-W45"}


def test_rerun_gives_the_same_report(world):
    db, latest, earlier, again = world
    for name in latest.files:
        a = (latest.out_dir / name).read_text(encoding="utf-8").splitlines()
        b = (again.out_dir / name).read_text(encoding="utf-8").splitlines()
        assert [x for x in a if latest.generated_at not in x] == [x for x in b if again.generated_at not in x], name
