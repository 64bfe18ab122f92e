"""The score: ramps, weights, size factor, bands, reasons, monotonicity, storage and verdicts."""

from __future__ import annotations

import csv
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphlink.config import Config, ScoringConfig
from graphlink.db import Database
from graphlink.errors import ConfigError, NotFoundError
from graphlink.scoring import (
    EVIDENCE,
    Evidence,
    band_of,
    evidence_set,
    score_features,
    score_run,
    size_factor,
    write_verdicts,
)

from scoring_fixtures import Builder, at

MITIGATING = {e.column for e in EVIDENCE if e.weight < 0}
SUSPICIOUS = [e for e in EVIDENCE if e.weight > 0]


def _row(**values):
    """One cluster's features as a dict of 1-element arrays (missing features are NaN)."""
    cols = {e.column for e in EVIDENCE} | {"n_accounts"}
    return {c: np.array([values.get(c, math.nan)], dtype=float) for c in cols}


def test_ramp_rises_and_falls():
    up = Evidence("x", "x", 0.2, 0.6, 10, str)
    assert up.strength(np.array([0.1, 0.2, 0.4, 0.6, 0.9, math.nan])).tolist() == pytest.approx(
        [0, 0, 0.5, 1, 1, 0])
    down = Evidence("age", "age", 30.0, 3.0, 5, str)   # younger is worse
    assert down.strength(np.array([40, 30, 16.5, 3, 1])).tolist() == pytest.approx([0, 0, 0.5, 1, 1])


def test_size_factor():
    assert size_factor(np.array([1, 2, 5, 8, 400]), 8).tolist() == pytest.approx([0, 1 / 7, 4 / 7, 1, 1])


def test_bands_follow_the_thresholds():
    c = ScoringConfig(high=70, medium=40)
    assert [band_of(x, c) for x in (0, 39.9, 40, 69.9, 70, 100)] == ["low", "low", "medium", "medium", "high", "high"]


def test_score_is_weighted_sum_times_size_factor():
    c = ScoringConfig(weights={e.name: 0 for e in EVIDENCE} | {"reasoning": 30, "templated": 20})
    # reasoning 0.4 -> strength 0.5 (ramp 0.2..0.6) -> 15 points; templated 0.8 -> 20 points
    feats = _row(n_accounts=4, reasoning_share=0.4, top_template_share=0.8)
    s = score_features(feats, c)
    assert s.points[0] == pytest.approx(35)
    assert s.size_factor[0] == pytest.approx(3 / 7)
    assert s.score[0] == pytest.approx(round(35 * 3 / 7, 1))
    names = [e.name for e in s.evidence]
    assert s.contributions[0, names.index("reasoning")] == pytest.approx(15 * 3 / 7)


def test_score_is_capped_at_100_and_floored_at_0():
    everything = _row(n_accounts=50, **{e.column: (e.hi if e.weight > 0 else e.lo) for e in EVIDENCE})
    assert score_features(everything, ScoringConfig()).score[0] == 100
    benign = _row(n_accounts=50, org_share=1.0)
    assert score_features(benign, ScoringConfig()).score[0] == 0


def test_a_single_account_scores_zero():
    one = _row(n_accounts=1, **{e.column: e.hi for e in SUSPICIOUS})
    s = score_features(one, ScoringConfig())
    assert s.score[0] == 0 and s.band == ["low"]


def test_config_overrides_weights_and_curves():
    c = ScoringConfig(weights={"reasoning": 50}, curves={"reasoning": [0.0, 0.5]})
    e = {x.name: x for x in evidence_set(c)}["reasoning"]
    assert (e.weight, e.lo, e.hi) == (50, 0.0, 0.5)
    with pytest.raises(ConfigError, match="unknown evidence nosuch"):
        evidence_set(ScoringConfig(weights={"nosuch": 1}))
    with pytest.raises(ConfigError, match="lo != hi"):
        evidence_set(ScoringConfig(curves={"reasoning": [0.5, 0.5]}))
    with pytest.raises(ConfigError, match="multiple"):
        score_features(_row(n_accounts=3), ScoringConfig(lockstep_minutes=7))


_values = st.floats(min_value=0, max_value=10, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    base=st.fixed_dictionaries({e.column: _values for e in EVIDENCE}),
    n=st.integers(min_value=1, max_value=500),
    which=st.sampled_from(sorted({e.column for e in EVIDENCE})),
    bump=st.floats(min_value=0, max_value=5, allow_nan=False),
)
def test_score_is_monotone_in_every_feature(base, n, which, bump):
    evidence = [e for e in EVIDENCE if e.column == which]
    lower_is_worse = evidence[0].lo > evidence[0].hi
    worse = dict(base)
    # move the feature in its suspicious direction
    suspicious_up = (evidence[0].weight > 0) != lower_is_worse
    worse[which] = base[which] + bump if suspicious_up else base[which] - bump
    before = score_features(_row(n_accounts=n, **base), ScoringConfig()).score[0]
    after = score_features(_row(n_accounts=n, **worse), ScoringConfig()).score[0]
    assert after >= before
    # and a larger cluster with the same behaviour never scores lower
    bigger = score_features(_row(n_accounts=n + 1, **base), ScoringConfig()).score[0]
    assert bigger >= before


# -- end to end on a database ---------------------------------------------------


@pytest.fixture
def world(tmp_path):
    db = Database(tmp_path / "scores.duckdb")
    yield Builder(db)
    db.close()


def _ring(world: Builder, prefix: str, n: int) -> list[str]:
    """n accounts created the same hour, paying with prepaid cards of one BIN, from a datacenter,
    sending a reasoning template every hour around the clock, in the same minute."""
    world.template(f"{prefix}-t", reasoning=True)
    members = []
    for i in range(n):
        a = world.account(f"{prefix}{i:02d}", at(-2), country="US")
        world.payment(a, f"{prefix}-fp{i % 3}", method_type="prepaid", card_bin="444444", billing_country="NG")
        world.requests(a, [at(d, h, 2) for d in range(2) for h in range(24)], ip="172.16.0.9",
                       template_id=f"{prefix}-t", prompt_tokens=50, completion_tokens=600)
        members.append(a)
    return members


def _family(world: Builder, prefix: str, n: int) -> list[str]:
    """n relatives: one shared card, one home address, evenings only, accounts made the same day."""
    members = []
    for i in range(n):
        a = world.account(f"{prefix}{i}", at(-200), country="US")
        world.payment(a, f"{prefix}-card", card_bin="411111", billing_country="US")
        world.requests(a, [at(d, 19 + i % 3, 5 * i) for d in range(3)], ip="10.0.0.7",
                       prompt="help me plan a trip", prompt_tokens=20, completion_tokens=60)
        members.append(a)
    return members


def test_a_ring_is_high_and_a_family_is_low(world):
    world.intel("172.16.0.0/14", "datacenter")
    ring = _ring(world, "r", 12)
    family = _family(world, "f", 4)
    pair = _family(world, "p", 2)
    run_id = world.run({"C-f0": family, "C-p0": pair, "C-r00": ring})
    result = score_run(world.db, Config(), run_id)
    rows = {r[0]: r[1:] for r in world.db.execute(
        "SELECT cluster_id, score, band, reasons, contributions FROM run_scores WHERE run_id = ?", [run_id]).fetchall()}
    assert rows["C-r00"][1] == "high"
    assert rows["C-f0"][1] == "low" and rows["C-p0"][1] == "low"
    assert result.bands == {"high": 1, "medium": 0, "low": 2}
    assert result.accounts == {"high": 12, "medium": 0, "low": 6}
    reasons = json.loads(rows["C-r00"][2])
    assert len(reasons) == Config().scoring.max_reasons
    # the strongest reasons carry their numbers
    assert reasons[0] == ("100% of 576 requests use the cluster's own templates to ask for step-by-step "
                          "reasoning or grading")
    contributions = json.loads(rows["C-r00"][3])
    weights = {e.name: e.weight for e in EVIDENCE}
    assert contributions["own_elicitation"] == pytest.approx(weights["own_elicitation"])
    assert contributions["reasoning"] == pytest.approx(weights["reasoning"])
    assert "Only 2 accounts" in json.loads(rows["C-p0"][2])[-1]


def test_mitigating_organisation_is_always_named(world):
    members = []
    for i in range(8):
        members.append(world.account(f"e{i}", at(-400), org_id="org-acme"))
        world.requests(f"e{i}", [at(0, 10 + i)], prompt="think step by step about our budget")
    run_id = world.run({"C-e0": members})
    weights = {e.name: 0.0 for e in EVIDENCE} | {"reasoning": 40.0, "organisation": -30.0}
    score_run(world.db, Config().with_overrides({"scoring.weights": weights}), run_id)
    score, reasons = world.db.execute("SELECT score, reasons FROM run_scores").fetchone()
    reasons = json.loads(reasons)
    # reasoning 100% -> +40, organisation 100% -> -30
    assert score == 10
    assert reasons[0] == "100% of requests ask for step-by-step reasoning"
    assert reasons[-1] == ("8 of 8 accounts belong to one declared organisation (org-acme), as in an "
                           "enterprise or campus (mitigating: -30 points)")


def test_rescoring_replaces_the_runs_rows(world):
    members = _family(world, "f", 3)
    run_id = world.run({"C-f0": members})
    score_run(world.db, Config(), run_id)
    score_run(world.db, Config().with_overrides({"scoring.weights": {"organisation": -5}}), run_id)
    assert world.db.fetchone("SELECT count(*) FROM run_scores")[0] == 1
    assert world.db.fetchone("SELECT count(*) FROM run_features")[0] == 1


def test_scoring_a_missing_run_fails_clearly(world):
    with pytest.raises(NotFoundError, match="run 9 does not exist"):
        score_run(world.db, Config(), 9)


def test_verdicts_csv(world, tmp_path):
    world.intel("172.16.0.0/14", "datacenter")
    ring = _ring(world, "r", 10)
    family = _family(world, "f", 3)
    # f0 also appears in the ring's cluster: listed once, with the higher score
    run_id = world.run({"C-f0": family, "C-r00": ring + ["f0"]})
    score_run(world.db, Config(), run_id)
    out = tmp_path / "verdicts.csv"
    result = write_verdicts(world.db, out)
    with out.open(newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["account_id", "cluster_id", "score", "band"]
    body = {r[0]: r[1:] for r in rows[1:]}
    assert len(rows) - 1 == len(body) == 13 == result.accounts
    assert body["f0"][0] == "C-r00" and body["f0"][2] == "high"
    assert body["f1"] == [body["f2"][0], body["f2"][1], "low"] and body["f1"][0] == "C-f0"
    assert result.bands == {"high": 11, "medium": 0, "low": 2}
    assert result.run_id == run_id


def test_verdicts_without_a_scored_run(world, tmp_path):
    with pytest.raises(NotFoundError, match="no scored run"):
        write_verdicts(world.db, tmp_path / "v.csv")


def test_export_verdicts_command(world, tmp_path):
    from typer.testing import CliRunner

    from graphlink.cli import app

    ring = _ring(world, "r", 8)
    run_id = world.run({"C-r00": ring})
    score_run(world.db, Config(), run_id)
    db_path = world.db.path
    world.db.close()
    out_file = tmp_path / "v.csv"
    result = CliRunner().invoke(app, ["--db", db_path, "export", "verdicts", "-o", str(out_file), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["accounts"] == 8
    with out_file.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["account_id"] for r in rows] == sorted(ring)
    assert {r["cluster_id"] for r in rows} == {"C-r00"}
    missing = CliRunner().invoke(app, ["--db", db_path, "export", "verdicts", "-o", str(tmp_path / "v2.csv"),
                                       "--run", "7"])
    assert missing.exit_code == 1 and "run 7 has no scores" in missing.output
