"""``graphlink ingest`` as users run it: summary, --json, --strict, errors, two processes at once."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from typer.testing import CliRunner

from graphlink.cli import app
from graphlink.db import Database

FIX = Path(__file__).parent / "fixtures" / "ingest"


def cli(db_path, *args):
    return CliRunner().invoke(app, ["--db", str(db_path), "ingest", *map(str, args)])


def test_summary_table_per_file(tmp_path):
    result = cli(tmp_path / "g.duckdb", FIX / "accounts.csv", FIX / "requests.csv")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "accounts" in out and "requests" in out and "total" in out
    for reason in ("bad_timestamp", "bad_ip", "negative_tokens", "card_number", "malformed_row"):
        assert reason in out
    assert "1 loaded row(s) held a card-like number" in result.stderr
    assert "1 account(s) appear in requests or payment_methods but not in accounts" in result.stderr


def test_json_summary(tmp_path):
    result = cli(tmp_path / "g.duckdb", FIX / "labels.csv", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["totals"] == {
        "files": 1, "files_skipped": 0, "rows_read": 5, "rows_loaded": 3, "rows_rejected": 2,
        "rows_duplicate": 0, "rejected_by_reason": {"conflicting_duplicate": 1, "missing_required": 1},
    }
    assert data["files"][0]["table"] == "labels"
    again = json.loads(cli(tmp_path / "g.duckdb", FIX / "labels.csv", "--json").stdout)
    assert again["files"][0]["status"] == "skipped"


def test_strict_exits_non_zero_only_on_rejects(tmp_path):
    db = tmp_path / "g.duckdb"
    assert cli(db, FIX / "ip_intel.csv").exit_code == 0                 # 2 rejects, not strict
    result = cli(db, FIX / "labels.csv", "--strict")                   # 2 rejects, strict
    assert result.exit_code == 4
    assert "--strict: 2 row(s) rejected" in result.stderr
    clean = tmp_path / "accounts.csv"
    clean.write_text("account_id,created_at\nz1,2026-11-01T00:00:00Z\n")
    assert cli(db, clean, "--strict").exit_code == 0


def test_map_flag(tmp_path):
    result = cli(tmp_path / "g.duckdb", FIX / "requests_custom.csv", "--table", "requests",
                 "--map", "user=account_id", "--map", "time=ts", "--map", "client_ip=ip", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["totals"]["rows_loaded"] == 2
    bad = cli(tmp_path / "g.duckdb", FIX / "requests_custom.csv", "--map", "user")
    assert bad.exit_code == 2
    assert "expected SOURCE=COLUMN" in bad.stderr


def test_input_errors_are_one_line(tmp_path):
    result = cli(tmp_path / "g.duckdb", FIX / "sessions.csv", "--table", "requests")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: ")
    assert "columns found: request_id, account_id, ts" in result.stderr


HOLDER = textwrap.dedent("""
    import json, sys
    from graphlink.config import Config
    from graphlink.db import Database
    from graphlink.ingest import ingest
    db = Database(sys.argv[1])
    first = ingest(db, Config(), [sys.argv[2]])
    print("holding", flush=True)
    sys.stdin.readline()
    second = ingest(db, Config(), [sys.argv[3]])
    db.close()
    print(json.dumps([first.rows_loaded, second.rows_loaded]), flush=True)
""")


def test_second_writer_gets_a_clear_message_and_the_first_finishes(tmp_path):
    path = tmp_path / "shared.duckdb"
    first = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), str(FIX / "accounts.csv"), str(FIX / "requests.csv")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert first.stdout.readline().strip() == "holding", first.stderr.read()
        second = subprocess.run(
            [sys.executable, "-c", "from graphlink.cli import main; main()",
             "--db", str(path), "ingest", str(FIX / "labels.csv")],
            capture_output=True, text=True, timeout=120,
        )
        assert second.returncode == 3
        assert f"error: database {path} is in use by another graphlink process" in second.stderr
        assert "Traceback" not in second.stderr
        out, err = first.communicate("go\n", timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0, err
    assert json.loads(out.strip().splitlines()[-1]) == [3, 3]
    with Database(path, read_only=True) as db:
        assert (db.count("accounts"), db.count("requests"), db.count("labels"), db.count("ingest_log")) == (3, 3, 0, 2)
