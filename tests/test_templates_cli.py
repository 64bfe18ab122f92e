"""``graphlink templates`` and ``graphlink template ID`` as users run them, on an ingested JSONL file."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from typer.testing import CliRunner

from graphlink.cli import app

from test_templates import MATH, math_prompt, organic_prompt


def cli(db_path, *args):
    return CliRunner().invoke(app, ["--db", str(db_path), *map(str, args)])


@pytest.fixture
def world(tmp_path):
    """40 prompts of the math scaffold from 5 accounts, 200 organic ones, one JSONL file ingested."""
    rng = random.Random(21)
    t0 = dt.datetime(2026, 11, 2, 9, 0)
    rows = [(f"m{i}", f"acct{i % 5}", math_prompt(rng)) for i in range(40)]
    rows += [(f"o{i}", f"user{rng.randrange(60)}", organic_prompt(rng)) for i in range(200)]
    path = tmp_path / "requests.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i, (rid, acc, prompt) in enumerate(rows):
            ts = (t0 + dt.timedelta(minutes=i)).isoformat() + "Z"
            f.write(json.dumps({"request_id": rid, "account_id": acc, "ts": ts, "ip": "203.0.113.9", "prompt": prompt}) + "\n")
    db = tmp_path / "g.duckdb"
    result = cli(db, "ingest", path)
    assert result.exit_code == 0, result.stderr
    return db


def test_templates_json_lists_the_scaffold(world):
    result = cli(world, "templates", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["mining"]["mined"] is True and data["run_id"] is None
    (t,) = data["templates"]
    assert (t["n_requests"], t["n_accounts"], t["source"], t["is_hub"]) == (40, 5, "mined", False)
    assert t["skeleton"].splitlines() == [MATH[0], MATH[1], "«…»", MATH[2]]
    assert t["elicits_reasoning"] is True and t["n_clusters"] is None
    again = json.loads(cli(world, "templates", "--json").stdout)
    assert again["mining"]["mined"] is False and again["templates"] == data["templates"]
    assert json.loads(cli(world, "templates", "--refresh", "--json").stdout)["mining"]["mined"] is True


def test_templates_table_for_people(world):
    result = cli(world, "templates", "--limit", "5")
    assert result.exit_code == 0, result.stderr
    assert "1 mined and 0 upstream templates; 40 of 240 requests templated" in result.stderr
    assert "T-" in result.stdout and "reasoning" in result.stdout


def test_template_shows_one_with_examples(world):
    tid = json.loads(cli(world, "templates", "--json").stdout)["templates"][0]["template_id"]
    result = cli(world, "template", tid, "--json", "--examples", "2", "--chars", "30")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["template"]["template_id"] == tid
    assert [e["prompt"] for e in data["examples"]] == [MATH[0][:30] + "…"] * 2
    assert sorted(a["account_id"] for a in data["accounts"]) == [f"acct{i}" for i in range(5)]
    human = cli(world, "template", tid)
    assert human.exit_code == 0 and "Skeleton" in human.stdout and "Example prompts" in human.stdout


def test_unknown_template_is_one_clear_error(world):
    result = cli(world, "template", "T-0000000000")
    assert result.exit_code == 1
    assert "no template 'T-0000000000'" in result.stderr
    assert "Traceback" not in result.stderr
