"""The CLI's shared behaviour: --version, --debug, --json, status, config, and where config comes from."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphlink import __version__
from graphlink.cli import app
from graphlink.config import Config, load_config
from graphlink.errors import ConfigError, DatabaseError

FIX = Path(__file__).parent / "fixtures" / "ingest"


def invoke(*args, env=None):
    return CliRunner(env={"GRAPHLINK_DB": None, "GRAPHLINK_CONFIG": None, **(env or {})}).invoke(app, list(map(str, args)))


@pytest.fixture
def loaded(tmp_path):
    path = tmp_path / "g.duckdb"
    for name in ("accounts.csv", "requests.csv"):
        assert invoke("--db", path, "ingest", FIX / name).exit_code == 0
    return path


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"graphlink {__version__}"


def test_status_json(loaded):
    result = invoke("--db", loaded, "status", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    # accounts.csv loads a1-a3; requests.csv loads r1 (a1), r2 (a2), r3 (a9), all at 10:00 UTC
    assert data["tables"]["accounts"] == 3
    assert data["tables"]["requests"] == 3
    assert data["tables"]["rejects"] == 3 + 8
    assert data["accounts_in_requests"] == 3
    assert data["requests_time_range"] == {"first": "2026-11-23T10:00:00", "last": "2026-11-23T10:00:00"}
    assert {"table_name": "requests", "reason": "bad_ip", "n": 1} in data["rejects"]


def test_status_for_people(loaded):
    result = invoke("--db", loaded, "status")
    assert result.exit_code == 0
    assert "requests" in result.stdout and "Rejected rows" in result.stdout


def test_errors_are_one_line_unless_debug(tmp_path):
    missing = tmp_path / "missing.duckdb"
    result = invoke("--db", missing, "status")
    assert result.exit_code == 1
    assert result.stderr == f"error: database {missing} does not exist; run 'graphlink ingest' first\n"
    debug = invoke("--debug", "--db", missing, "status")
    assert isinstance(debug.exception, DatabaseError)      # raised, so the traceback shows


def test_config_precedence(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert json.loads(invoke("config", "--json").stdout)["database"]["path"] == "graphlink.duckdb"   # default
    Path("graphlink.toml").write_text('[database]\npath = "from-file.duckdb"\n\n[communities]\nseed = 7\n')
    data = json.loads(invoke("config", "--json").stdout)
    assert (data["database"]["path"], data["communities"]["seed"]) == ("from-file.duckdb", 7)
    from_env = json.loads(invoke("config", "--json", env={"GRAPHLINK_DB": "from-env.duckdb"}).stdout)
    assert from_env["database"]["path"] == "from-env.duckdb"
    from_flag = json.loads(invoke("--db", "from-flag.duckdb", "config", "--json",
                                  env={"GRAPHLINK_DB": "from-env.duckdb"}).stdout)
    assert (from_flag["database"]["path"], from_flag["communities"]["seed"]) == ("from-flag.duckdb", 7)


def test_config_from_pyproject_and_explicit_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.graphlink.communities]\nseed = 11\n')
    assert json.loads(invoke("config", "--json").stdout)["communities"]["seed"] == 11
    other = tmp_path / "other.toml"
    other.write_text("[communities]\nseed = 12\n")
    assert json.loads(invoke("--config", other, "config", "--json").stdout)["communities"]["seed"] == 12


@pytest.mark.parametrize("text,message", [
    ("[communities]\nsed = 7\n", "communities: unknown key(s) sed"),
    ("[communities]\nseed = 'seven'\n", "communities.seed: expected an integer, got 'seven'"),
    ("[communities\n", "is not valid TOML"),
    ("[scoring]\nhigh = 30\nmedium = 50\n", "need 0 <= medium <= high <= 100"),
])
def test_config_errors_name_the_key(tmp_path, text, message):
    path = tmp_path / "graphlink.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        load_config(path)
    result = invoke("--config", path, "config")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in result.stderr


def test_missing_config_file(tmp_path):
    result = invoke("--config", tmp_path / "nope.toml", "config")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_config_output_reads_back_as_the_same_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = invoke("config").stdout
    tomllib.loads(text)                                   # valid TOML
    Path("graphlink.toml").write_text(text)
    assert load_config(Path("graphlink.toml")).to_dict() == Config().to_dict()


def test_mapping_section_of_the_config_file_feeds_ingest(tmp_path):
    config = tmp_path / "graphlink.toml"
    config.write_text('[mapping]\nuser = "account_id"\ntime = "ts"\nclient_ip = "ip"\n')
    result = invoke("--config", config, "--db", tmp_path / "g.duckdb", "ingest",
                    FIX / "requests_custom.csv", "--table", "requests", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["totals"]["rows_loaded"] == 2
