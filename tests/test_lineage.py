"""Week-over-week cluster lineage and ban-evasion flags on hand-made runs.

Two weeks, 2026-W45 and 2026-W46, with one cluster per kind of change; each
expected status and lineage id is worked out below from the overlap rules in
graphlink.report.lineage (defaults: link at Jaccard >= 0.3, or containment
>= 0.5 with >= 2 shared; grown/shrunk at >= 20 % and >= 2 accounts).
"""

from __future__ import annotations

import datetime as dt

import pytest

from graphlink.config import Config
from graphlink.db import Database
from graphlink.errors import ConfigError, NotFoundError
from graphlink.report.lineage import update_lineage
from report_fixtures import EARLY, W45_MON, Cluster, World, ids, two_week_world


@pytest.fixture()
def two_weeks(tmp_path):
    """The W45/W46 world of report_fixtures.two_week_world; returns (db, run45, run46)."""
    db = Database(tmp_path / "lineage.duckdb")
    run45, run46 = two_week_world(World(db))
    yield db, run45, run46
    db.close()


def _lineage(db, run_id):
    cur = db.execute(
        "SELECT cluster_id, lineage_id, status, prev_cluster_ids, prev_lineage_ids, size, prev_size "
        "FROM run_lineage WHERE run_id = $r ORDER BY cluster_id NULLS LAST, lineage_id", {"r": run_id})
    return {(row[0] or row[3][0]): row[1:] for row in cur.fetchall()}


def test_statuses_and_lineage_ids(two_weeks):
    db, run45, run46 = two_weeks
    result = update_lineage(db, Config(), run46)
    assert result.computed and result.prev_run_id == run45 and result.prev_week == "2026-W45"

    first = _lineage(db, run45)  # the first week of the chain: everything is new
    assert {k: v[1] for k, v in first.items()} == {k: "new" for k in first}
    assert first["C-a01"][0] == "L-2026W45-C-a01"

    got = _lineage(db, run46)
    L45 = "L-2026W45-"
    # a: 10 -> 14 accounts, 10 shared (Jaccard 10/14): +4 = +40 % -> grown, same lineage.
    assert got["C-a01"] == (L45 + "C-a01", "grown", ["C-a01"], [L45 + "C-a01"], 14, 10)
    # r: no member in common with b, but one of b's two identifiers (payment pb) out of
    # the three in the union {pb, db, dr}: Jaccard 1/3 >= 0.3 -> replaced, b's lineage.
    assert got["C-r01"] == (L45 + "C-b01", "replaced", ["C-b01"], [L45 + "C-b01"], 6, 6)
    # m01 + m05 (4 + 4) -> one cluster of 8: two predecessors -> merged, keeps m01's lineage
    # (a tie on strength 0.5 goes to the smaller cluster id).
    assert got["C-m01"] == (L45 + "C-m01", "merged", ["C-m01", "C-m05"], [L45 + "C-m01", L45 + "C-m05"], 8, 8)
    # s01 (8) -> s01 (4) + s05 (4): one predecessor with two successors -> split;
    # s01 inherits (tie -> smaller id), s05 starts its own lineage in W46.
    assert got["C-s01"] == (L45 + "C-s01", "split", ["C-s01"], [L45 + "C-s01"], 4, 8)
    assert got["C-s05"] == ("L-2026W46-C-s05", "split", ["C-s01"], [L45 + "C-s01"], 4, 8)
    # p: the same 5 accounts -> persisting.  k: 10 -> 7 (-30 %, -3) -> shrunk.
    assert got["C-p01"] == (L45 + "C-p01", "persisting", ["C-p01"], [L45 + "C-p01"], 5, 5)
    assert got["C-k01"] == (L45 + "C-k01", "shrunk", ["C-k01"], [L45 + "C-k01"], 7, 10)
    # n: nothing like it in W45 -> new.  c: no successor -> gone (size 0).
    assert got["C-n01"] == ("L-2026W46-C-n01", "new", [], [], 4, None)
    assert got["C-c01"] == (L45 + "C-c01", "gone", ["C-c01"], [L45 + "C-c01"], 0, 5)
    assert result.statuses == {"new": 1, "grown": 1, "replaced": 1, "merged": 1, "split": 2,
                               "shrunk": 1, "persisting": 1, "gone": 1}


def test_ban_evasion_flags_replacements_only(two_weeks):
    db, run45, run46 = two_weeks
    result = update_lineage(db, Config(), run46)
    rows = db.execute(
        "SELECT account_id, cluster_id, known_run_id, known_cluster_id, known_lineage_id, n_banned, "
        "first_ban_at, shared_identifiers FROM run_ban_evasion WHERE run_id = $r ORDER BY account_id",
        {"r": run46}).fetchall()
    # b01..b06 are banned; b01's first request is its first ban time candidate... their
    # ban time is their last request: W45 Tuesday 12:00 (3 requests at 10, 11, 12).
    ban = W45_MON + dt.timedelta(days=1, hours=12)
    assert rows == [(f"r{i:02d}", "C-r01", run45, "C-b01", "L-2026W45-C-b01", 6, ban, ["payment:pb"])
                    for i in range(1, 7)]
    # x01 shares pb as well but signed up before the ban.
    assert result.ban_evasion_accounts == 6


def test_banned_at_column_overrides_last_request(tmp_path):
    db = Database(tmp_path / "ban.duckdb")
    world = World(db)
    world.account("b1", EARLY, status="banned", extra={"banned_at": "2026-11-12 00:00:00"})
    world.account("b2", EARLY, status="banned", extra={"banned_at": "2026-11-12 00:00:00"})
    world.account("r1", dt.datetime(2026, 11, 11))   # before the recorded ban: not flagged
    world.account("r2", dt.datetime(2026, 11, 13))   # after it: flagged
    run = world.run("2026-W46", {"C-b1": Cluster(["b1", "b2", "r1", "r2"], [("device", "d")])})
    update_lineage(db, Config(), run)
    flagged = db.execute("SELECT account_id, cluster_id FROM run_ban_evasion ORDER BY 1").fetchall()
    assert flagged == [("r2", "C-b1")]
    db.close()


def test_identifiers_of_many_accounts_do_not_link(tmp_path):
    """A device used by 3 members and 7 other accounts (3/10 < report.identity_ownership 0.5) belongs to
    no one: two clusters sharing only it are not the same operator.  The card used by 3 members out of
    5 users (3/5 >= 0.5) is owned: sharing it links."""
    db = Database(tmp_path / "own.duckdb")
    world = World(db)
    world.accounts(ids("q", 1, 12), EARLY)
    run45 = world.run("2026-W45", {
        "C-q01": Cluster(ids("q", 1, 3), [("device", "popular")], outside_users=7),
        "C-q07": Cluster(ids("q", 7, 9), [("payment", "card")], outside_users=2),
    })
    run46 = world.run("2026-W46", {
        "C-q04": Cluster(ids("q", 4, 6), [("device", "popular")], outside_users=7),
        "C-q10": Cluster(ids("q", 10, 12), [("payment", "card")], outside_users=2),
    })
    update_lineage(db, Config(), run46)
    got = _lineage(db, run46)
    assert got["C-q04"][1] == "new" and got["C-q01"][1] == "gone"
    assert got["C-q10"][:2] == ("L-2026W45-C-q07", "replaced")
    loose = Config().with_overrides({"report.identity_ownership": 0.25})
    run46b = world.run("2026-W46", {"C-q04": Cluster(ids("q", 4, 6), [("device", "popular")], outside_users=7)})
    update_lineage(db, loose, run46b)
    assert _lineage(db, run46b)["C-q04"][:2] == ("L-2026W45-C-q01", "replaced")
    db.close()


def test_lineage_is_computed_once_and_kept(two_weeks):
    db, run45, run46 = two_weeks
    first = update_lineage(db, Config(), run46)
    before = db.execute("SELECT * FROM run_lineage ORDER BY ALL").fetchall()
    again = update_lineage(db, Config(), run46)
    assert first.computed and not again.computed
    assert again.statuses == first.statuses
    assert db.execute("SELECT * FROM run_lineage ORDER BY ALL").fetchall() == before


def test_third_week_carries_lineageids(two_weeks):
    db, run45, run46 = two_weeks
    world = World(db)
    run47 = world.run("2026-W47", {
        "C-a01": Cluster(ids("a", 1, 14), [("payment", "pa")]),      # persisting
        "C-s05": Cluster(ids("s", 5, 8), [("email_domain", "s5.example")]),
    })
    update_lineage(db, Config(), run47)
    got = _lineage(db, run47)
    assert got["C-a01"][:2] == ("L-2026W45-C-a01", "persisting")
    assert got["C-s05"][:2] == ("L-2026W46-C-s05", "persisting")
    gone = sorted(v[0] for v in got.values() if v[1] == "gone")
    assert gone == ["L-2026W45-C-b01", "L-2026W45-C-k01", "L-2026W45-C-m01", "L-2026W45-C-p01",
                    "L-2026W45-C-s01", "L-2026W46-C-n01"]


def test_no_previous_week_within_reach(two_weeks):
    db, run45, run46 = two_weeks
    config = Config().with_overrides({"report.lineage_weeks": 0})
    result = update_lineage(db, config, run46)
    assert result.prev_run_id is None
    assert result.statuses["new"] == 8 and result.statuses["gone"] == 0


def test_bad_settings_and_runs(two_weeks):
    db, run45, run46 = two_weeks
    with pytest.raises(ConfigError, match="report.link_jaccard"):
        update_lineage(db, Config().with_overrides({"report.link_jaccard": 1.5}), run46)
    with pytest.raises(NotFoundError, match="run 99"):
        update_lineage(db, Config(), 99)
