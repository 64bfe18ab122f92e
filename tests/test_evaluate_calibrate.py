"""Calibrating the scoring weights on labelled clusters: held-out figures, monotone weights."""

from __future__ import annotations

import json

import pytest

from graphlink.config import Config
from graphlink.db import Database
from graphlink.errors import NotFoundError
from graphlink.evaluate import calibrate
from graphlink.scoring import score_run

from scoring_fixtures import Builder, at


@pytest.fixture
def world(tmp_path):
    """Six harvesting clusters and six chatty ones, three accounts each, all labelled."""
    db = Database(tmp_path / "calibrate.duckdb")
    b = Builder(db)
    clusters = {}
    for c in range(6):
        bad = [f"d{c}{i}" for i in range(3)]
        good = [f"g{c}{i}" for i in range(3)]
        for a in bad:
            b.account(a)
            b.requests(a, [at(0, h) for h in range(6)], prompt="Think step by step, then answer.")
            b.label(a, "distillation", f"camp-{c}")
        for a in good:
            b.account(a)
            b.request(a, at(0, 12), prompt="hello, what is a good pasta recipe?")
            b.label(a, "benign")
        clusters[f"C-{bad[0]}"] = bad
        clusters[f"C-{good[0]}"] = good
    run_id = b.run(clusters)
    score_run(db, Config(), run_id)
    yield b
    db.close()


def test_calibration_reports_held_out_figures_and_monotone_weights(world):
    cal = calibrate(world.db, Config(), folds=3, seed=0)
    assert (cal.clusters, cal.positive_clusters, cal.folds) == (12, 6, 3)
    # every fold separates the two kinds: held out, all 18 positive accounts and nothing else are flagged
    assert cal.held_out == {"flagged": 18, "tp": 18, "fp": 0, "positives": 18, "precision": 1.0, "recall": 1.0}
    assert cal.left_out == ["ban_evasion"] and "ban_evasion" not in cal.weights
    assert all(w >= 0 for w in cal.weights.values())
    assert cal.weights["elicitation"] > 0
    # no organisation, prepaid card or datacenter anywhere: nothing to learn for them
    assert cal.weights["organisation"] == cal.weights["prepaid_cards"] == cal.weights["anonymised_network"] == 0
    assert cal.toml().startswith("[scoring.weights]\n") and "elicitation = " in cal.toml()


def test_calibration_needs_both_classes(world):
    world.db.execute("UPDATE labels SET label = 'benign'")
    with pytest.raises(NotFoundError, match="two labelled clusters of each class"):
        calibrate(world.db, Config())


def test_calibrate_command(world):
    from typer.testing import CliRunner

    from graphlink.cli import app

    path = world.db.path
    world.db.close()
    out = CliRunner().invoke(app, ["--db", path, "evaluate", "--calibrate", "--folds", "3", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["held_out"]["recall"] == 1.0 and data["folds"] == 3
    out = CliRunner().invoke(app, ["--db", path, "evaluate", "--calibrate", "--folds", "3"])
    assert out.exit_code == 0 and "[scoring.weights]" in out.stdout and "held-out" in out.output
