"""graphlink.db: the one module that talks to DuckDB."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from graphlink.db import Database, load_query
from graphlink.errors import DatabaseError, DatabaseInUseError, QueryError
from graphlink.status import INPUT_TABLES


@pytest.fixture
def db(tmp_path):
    with Database(tmp_path / "g.duckdb") as database:
        yield database


def test_schema_is_created_and_creating_it_again_changes_nothing(db):
    for table in INPUT_TABLES + ("rejects", "ingest_log", "runs"):
        assert db.table_exists(table), table
    db.execute("INSERT INTO ingest_log VALUES (1, 'accounts', 'a.csv', 'h', 1, 1, 1, 0, 0, TIMESTAMP '2026-01-01')")
    db.ensure_schema()
    assert db.count("ingest_log") == 1
    assert db.fetchone("SELECT ip_normalise('::FFFF:10.0.0.1')") == ("10.0.0.1",)   # the macros are there


def test_run_binds_parameters_and_checks_them(db):
    assert db.fetch("status/runs", {"limit": 5}) == []
    with pytest.raises(DatabaseError, match="needs parameter"):
        db.fetch("status/runs")
    # values the statement does not use are dropped, not an error
    assert db.fetch("ingest/next_ingest_id", {"unused": 1}) == [(1,)]


def test_unknown_query_and_parameterised_script(db):
    with pytest.raises(DatabaseError, match="no query named 'nope/nothing'"):
        db.fetch("nope/nothing")
    with pytest.raises(DatabaseError, match="takes parameters"):
        db.script("status/runs")


def test_query_errors_name_the_query(db):
    db.execute("DROP VIEW account_universe")
    db.execute("DROP TABLE requests")
    with pytest.raises(QueryError) as err:
        db.fetch("status/request_range")
    assert err.value.query == "status/request_range"
    assert "query 'status/request_range' failed" in str(err.value)
    assert "requests" in err.value.sql


def test_declared_and_used_parameters_are_parsed():
    q = load_query("ingest/known_file")
    assert q.declared == q.used == {"file_hash", "table"}


def test_transaction_commits_or_rolls_back_as_a_whole(db):
    insert = "INSERT INTO labels (account_id, label) VALUES ($a, 'x')"
    with db.transaction():
        db.execute(insert, {"a": "kept"})
    with pytest.raises(RuntimeError):
        with db.transaction():
            db.execute(insert, {"a": "gone"})
            with db.transaction():                   # nested: joins the outer one
                db.execute(insert, {"a": "gone too"})
            raise RuntimeError("boom")
    assert [r[0] for r in db.execute("SELECT account_id FROM labels").fetchall()] == ["kept"]


def test_fetch_helpers(db):
    db.execute("INSERT INTO labels (account_id, label) VALUES ('a', 'x'), ('b', 'y')")
    assert db.fetch_dicts("status/rejects_by_reason") == []
    arrow = db.fetch_arrow("status/request_range")
    assert arrow.num_rows == 1 and arrow.column_names == ["first_ts", "last_ts", "accounts"]
    assert list(db.fetch_numpy("ingest/next_ingest_id")["ingest_id"]) == [1]


def test_count_refuses_what_is_not_a_table_name(db):
    with pytest.raises(DatabaseError, match="not a table name"):
        db.count("labels; DROP TABLE labels")


def test_read_only_needs_an_existing_file(tmp_path):
    with pytest.raises(DatabaseError, match="does not exist; run 'graphlink ingest' first"):
        Database(tmp_path / "missing.duckdb", read_only=True)


def test_folder_must_exist(tmp_path):
    with pytest.raises(DatabaseError, match="folder .* does not exist"):
        Database(tmp_path / "no" / "such" / "g.duckdb")


HOLD = textwrap.dedent("""
    import sys
    from graphlink.db import Database
    db = Database(sys.argv[1])
    print("open", flush=True)
    sys.stdin.readline()
    db.close()
""")


def test_a_file_in_use_gives_a_clear_error(tmp_path):
    path = tmp_path / "g.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open", holder.stderr.read()
        with pytest.raises(DatabaseInUseError) as err:
            Database(path)
        assert str(err.value) == (
            f"database {path} is in use by another graphlink process; wait for it to finish or use another --db"
        )
        assert err.value.exit_code == 3
    finally:
        holder.communicate("\n", timeout=60)
    with Database(path) as db:                         # free again once the holder is gone
        assert db.table_exists("requests")


def test_duckdb_tracks_progress_but_never_prints_a_bar(db):
    # a bar drawn by DuckDB would go to stdout, into the --json output of the commands
    assert db.fetchone("SELECT current_setting('enable_progress_bar'), "
                       "current_setting('enable_progress_bar_print')") == (True, False)


def test_progress_reports_a_long_statement_as_it_runs(db):
    import threading

    seen: list[float] = []
    with db.progress(seen.append, every=0.01):
        # a scan of 150M generated rows: long enough to be watched several times
        db.fetchone("SELECT count(*) FROM range(150000000) WHERE hash(range) % 7 = 0")
    assert seen, "no progress was reported while the statement ran"
    assert all(0.0 <= part <= 1.0 for part in seen)
    assert seen == sorted(seen)            # one scan only moves forward
    assert not any(t.name == "graphlink-progress" for t in threading.enumerate())


def test_a_failing_progress_report_stops_reporting_not_the_statement(db, caplog):
    calls = []

    def report(part):
        calls.append(part)
        raise ValueError("a broken progress bar")

    with db.progress(report, every=0.01):
        (n,) = db.fetchone("SELECT count(*) FROM range(150000000) WHERE hash(range) % 7 = 0")
    assert n > 0 and len(calls) == 1          # the statement finished; the report was not retried
    assert "progress report failed" in caplog.text
