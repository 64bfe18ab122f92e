"""``graphlink detect`` as a run: the manifest, one transaction for results, a
run killed midway, the time window, and the read-side commands."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphlink.cli import app
from graphlink.config import Config
from graphlink.db import Database
from graphlink.errors import ConfigError, NotFoundError
from graphlink.pipeline import (
    WRITE_STEPS,
    account_detail,
    cluster_detail,
    detect,
    list_clusters,
    parse_window,
)
from scoring_fixtures import Builder, at

TESTS = Path(__file__).resolve().parent


def _world(db: Database) -> None:
    """Ring r (3 accounts: one card, one device), pair p (one device), loner x."""
    w = Builder(db)
    for a in ("r1", "r2", "r3"):
        w.account(a, email_domain="gmail.com")
        w.payment(a, "card-r")
        w.requests(a, [at(0, 1), at(1, 2)], ip=f"10.0.{a[-1]}.1", device="dev-r")
    for a in ("p1", "p2"):
        w.account(a)
        w.request(a, at(3), ip=f"10.1.{a[-1]}.1", device="dev-p")
    w.account("x")
    w.request("x", at(2), ip="10.9.9.9", device="dev-x")


@pytest.fixture
def db_path(tmp_path) -> Path:
    path = tmp_path / "p.duckdb"
    with Database(path) as db:
        _world(db)
    return path


def _one(db: Database, sql: str, params: dict) -> tuple:
    """The single row of *sql* (fetched to the end, so the connection is free again)."""
    (row,) = db.execute(sql, params).fetchall()
    return row


def _members(db: Database, run_id: int) -> set[tuple[str, str]]:
    return set(db.execute("SELECT cluster_id, account_id FROM run_members WHERE run_id = $r",
                          {"r": run_id}).fetchall())


EXPECTED = {("C-r1", "r1"), ("C-r1", "r2"), ("C-r1", "r3"), ("C-p1", "p1"), ("C-p1", "p2")}


# -- the run and its manifest ------------------------------------------------------


def test_detect_records_a_complete_run_with_its_manifest(db_path):
    with Database(db_path) as db:
        db.execute("INSERT INTO ingest_log VALUES (1, 'requests', 'requests.csv', 'abc123', 10, 9, 9, 0, 0, now())")
        config = Config()
        result = detect(db, config)
        assert result.status == "complete"
        assert _members(db, result.run_id) == EXPECTED
        status, cfg, hashes, versions, stats = db.execute(
            "SELECT status, config, input_hashes, versions, stats FROM runs WHERE run_id = $r",
            {"r": result.run_id}).fetchall()[0]
    assert status == "complete"
    assert json.loads(cfg) == json.loads(config.to_json())
    hashes = json.loads(hashes)
    assert hashes["files"] == [{"table_name": "requests", "source_file": "requests.csv",
                                "file_hash": "abc123", "rows_loaded": 9}]
    assert hashes["tables"]["requests"]["rows"] == 9 and hashes["tables"]["accounts"]["rows"] == 6
    assert {"graphlink", "duckdb", "igraph", "python"} <= set(json.loads(versions))
    stats = json.loads(stats)
    assert stats["rows"]["run_members"] == 5 and stats["rows"]["run_clusters"] == 2
    assert stats["graph"]["n_links"] == result.graph.n_links


def test_same_inputs_give_same_input_hashes_and_different_data_does_not(db_path, tmp_path):
    with Database(db_path) as db:
        a = json.loads(_one(db, "SELECT input_hashes FROM runs WHERE run_id = $r",
                                   {"r": detect(db, Config()).run_id})[0])
        b = json.loads(_one(db, "SELECT input_hashes FROM runs WHERE run_id = $r",
                                   {"r": detect(db, Config()).run_id})[0])
        Builder(db).request("x", at(4), ip="10.9.9.9")
        c = json.loads(_one(db, "SELECT input_hashes FROM runs WHERE run_id = $r",
                                   {"r": detect(db, Config()).run_id})[0])
    assert a == b
    assert c["tables"]["requests"] != a["tables"]["requests"]
    assert c["tables"]["accounts"] == a["tables"]["accounts"]


def test_a_failing_stage_marks_the_run_failed_and_keeps_nothing(db_path):
    def explode(step: str) -> None:
        if step == "write run_links":
            raise RuntimeError("disk on fire")

    with Database(db_path) as db:
        first = detect(db, Config())
        with pytest.raises(RuntimeError, match="disk on fire"):
            detect(db, Config(), progress=explode)
        status, stats = db.execute("SELECT status, stats FROM runs WHERE run_id = $r",
                                   {"r": first.run_id + 1}).fetchall()[0]
        assert status == "failed" and "disk on fire" in json.loads(stats)["error"]
        for table in WRITE_STEPS:
            n = db.execute(f"SELECT count(*) FROM {table} WHERE run_id = $r", {"r": first.run_id + 1}).fetchall()[0]
            assert n == (0,), table
        assert list_clusters(db)["run"]["run_id"] == first.run_id
        # The temporary graph tables are gone, and the next run works.
        assert detect(db, Config()).run_id == first.run_id + 2


KILLER = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, sys.argv[3])
    from graphlink.config import Config
    from graphlink.db import Database
    from graphlink.pipeline import detect

    def progress(step):
        if step == sys.argv[2]:
            os.kill(os.getpid(), signal.SIGKILL)

    with Database(sys.argv[1]) as db:
        detect(db, Config(), progress=progress)
    print("finished without being killed")
""")


@pytest.mark.parametrize("stage", ["account links", "leiden", "write run_links", "commit"])
def test_a_run_killed_midway_leaves_the_previous_run_intact(db_path, stage):
    with Database(db_path) as db:
        first = detect(db, Config()).run_id
    proc = subprocess.run([sys.executable, "-c", KILLER, str(db_path), stage, str(TESTS)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    killed = first + 1
    with Database(db_path, read_only=True) as db:
        # The earlier run's results are intact and readable ...
        assert _members(db, first) == EXPECTED
        assert list_clusters(db)["run"]["run_id"] == first
        # ... the killed run committed its manifest row only.
        assert _one(db, "SELECT status FROM runs WHERE run_id = $r", {"r": killed}) == ("running",)
        for table in WRITE_STEPS:
            n = db.execute(f"SELECT count(*) FROM {table} WHERE run_id = $r", {"r": killed}).fetchall()[0]
            assert n == (0,), table
        with pytest.raises(NotFoundError, match="running"):
            list_clusters(db, killed)
    with Database(db_path) as db:
        nxt = detect(db, Config())
        assert nxt.run_id == killed + 1
        assert _members(db, nxt.run_id) == EXPECTED
        assert _one(db, "SELECT status FROM runs WHERE run_id = $r", {"r": killed}) == ("failed",)


# -- the window ---------------------------------------------------------------------


def test_parse_window():
    c = Config()
    assert parse_window(c, week="2026-W10") == (dt.datetime(2026, 3, 2), dt.datetime(2026, 3, 9), "2026-W10")
    assert parse_window(c, since="2026-03-02T01:00:00+02:00", until="2026-03-05") == (
        dt.datetime(2026, 3, 1, 23), dt.datetime(2026, 3, 5), None)
    assert parse_window(c) == (None, None, None)
    c.graph.since = "2026-01-01"
    assert parse_window(c)[0] == dt.datetime(2026, 1, 1)
    for bad in [{"week": "2026-W54"}, {"week": "last week"}, {"since": "yesterday"},
                {"since": "2026-03-05", "until": "2026-03-01"}, {"week": "2026-W10", "since": "2026-03-01"}]:
        with pytest.raises(ConfigError):
            parse_window(Config(), **bad)


def test_window_restricts_the_run(db_path):
    with Database(db_path) as db:
        # Day 1 only: ring r is active (its day-1 requests), pair p and x are not.
        result = detect(db, Config(), since=at(1), until=at(2))
        assert (result.since, result.until) == (at(1), at(2))
        assert _members(db, result.run_id) == {m for m in EXPECTED if m[0] == "C-r1"}
        assert _one(db, "SELECT since, until FROM runs WHERE run_id = $r", {"r": result.run_id}) == (at(1), at(2))


# -- reading results ------------------------------------------------------------------


def test_cluster_and_account_details(db_path):
    with Database(db_path) as db:
        run = detect(db, Config()).run_id
        listed = list_clusters(db)
        assert [c["cluster_id"] for c in sorted(listed["clusters"], key=lambda c: c["cluster_id"])] == ["C-p1", "C-r1"]
        detail = cluster_detail(db, "C-r1")
        assert detail["cluster"]["size"] == 3 and detail["cluster"]["n_requests"] == 6
        assert {m["account_id"] for m in detail["members"]} == {"r1", "r2", "r3"}
        assert {(e["kind"], e["value"], e["n_accounts"]) for e in detail["evidence"]} == {
            ("payment", "card-r", 3), ("device", "dev-r", 3)}
        acct = account_detail(db, "r2", links=1)
        assert acct["cluster"]["cluster_id"] == "C-r1"
        assert {(i["kind"], i["value"]) for i in acct["identifiers"]} == {("payment", "card-r"), ("device", "dev-r")}
        assert len(acct["links"]) == 1 and acct["links"][0]["account_id"] in {"r1", "r3"}
        loner = account_detail(db, "x")
        assert loner["cluster"] is None and loner["identifiers"] == [] and loner["links"] == []
        with pytest.raises(NotFoundError):
            cluster_detail(db, "C-nope")
        with pytest.raises(NotFoundError):
            account_detail(db, "nobody")
        with pytest.raises(NotFoundError):
            list_clusters(db, run + 7)


def test_reading_before_any_run_says_what_to_do(tmp_path):
    with Database(tmp_path / "empty.duckdb") as db:
        with pytest.raises(NotFoundError, match="graphlink detect"):
            list_clusters(db)


# -- the commands -----------------------------------------------------------------------


def test_commands_end_to_end(db_path):
    runner = CliRunner()
    db = ["--db", str(db_path)]
    out = runner.invoke(app, [*db, "detect", "--json"])
    assert out.exit_code == 0, out.output
    run = json.loads(out.stdout)
    assert run["status"] == "complete" and run["communities"]["n_clusters"] == 2

    out = runner.invoke(app, [*db, "clusters", "--json"])
    assert out.exit_code == 0, out.output
    assert {c["cluster_id"]: c["size"] for c in json.loads(out.stdout)["clusters"]} == {"C-r1": 3, "C-p1": 2}

    out = runner.invoke(app, [*db, "clusters", "--min-size", "3"])
    assert out.exit_code == 0 and "C-r1" in out.stdout and "C-p1" not in out.stdout

    out = runner.invoke(app, [*db, "cluster", "C-p1", "--json"])
    assert out.exit_code == 0, out.output
    assert {m["account_id"] for m in json.loads(out.stdout)["members"]} == {"p1", "p2"}
    out = runner.invoke(app, [*db, "cluster", "C-p1"])
    assert out.exit_code == 0 and "dev-p" in out.stdout

    out = runner.invoke(app, [*db, "account", "p2", "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["links"][0]["account_id"] == "p1"
    out = runner.invoke(app, [*db, "account", "p2"])
    assert out.exit_code == 0 and "C-p1" in out.output

    out = runner.invoke(app, [*db, "cluster", "C-zzz"])
    assert out.exit_code == 1 and "C-zzz" in out.output
    out = runner.invoke(app, [*db, "detect", "--week", "soon"])
    assert out.exit_code == 2 and "ISO week" in out.output
