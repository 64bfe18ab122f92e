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

SUSPICIOUS = [e for e in EVIDENCE if e.kind != "mitigating"]
ONLY = {e.name: 0.0 for e in EVIDENCE}   # weights: everything off, then switch some on


def _row(**values):
    """One cluster's features as a dict of 1-element arrays (missing features are NaN)."""
    cols = {e.column for e in EVIDENCE} | {"n_accounts"}
    return {c: np.array([values.get(c, math.nan)], dtype=float) for c in cols}


def test_ramp_rises_and_falls():
    up = Evidence("x", "x", 0.2, 0.6, 10, "behaviour", str)
    assert up.strength(np.array([0.1, 0.2, 0.4, 0.6, 0.9, math.nan])).tolist() == pytest.approx(
        [0, 0, 0.5, 1, 1, 0])
    down = Evidence("age", "age", 30.0, 3.0, 5, "coordination", str)   # younger is worse
    assert down.strength(np.array([40, 30, 16.5, 3, 1])).tolist() == pytest.approx([0, 0, 0.5, 1, 1])


def test_size_factor():
    assert size_factor(np.array([1, 2, 3, 5, 400]), 5).tolist() == pytest.approx([0, 0.25, 0.5, 1, 1])


def test_bands_follow_the_thresholds():
    c = ScoringConfig(high=70, medium=40)
    assert [band_of(x, c) for x in (0, 39.9, 40, 69.9, 70, 100)] == ["low", "low", "medium", "medium", "high", "high"]


def test_behaviour_counts_in_full_coordination_by_size_and_organisation_offsets_coordination():
    c = ScoringConfig(full_size=5, weights=ONLY | {"elicitation": 40, "shared_payment": 20, "organisation": 10})
    # n = 3: size factor (3 - 1) / (5 - 1) = 0.5
    # elicitation 0.3 on the ramp 0.15..0.45 -> strength 0.5 -> 20 points (behaviour, in full)
    # shared payment 0.6 on 0.2..0.6 -> 20 points (coordination); organisation 0.9 -> 10 points off it
    s = score_features(_row(n_accounts=3, elicitation_share=0.3, shared_payment_share=0.6, org_share=0.9), c)
    assert s.score[0] == pytest.approx(20 + 0.5 * (20 - 10))
    assert s.points[0] == pytest.approx(30)
    assert s.size_factor[0] == pytest.approx(0.5)
    got = dict(zip([e.name for e in s.evidence], s.contributions[0]))
    assert (got["elicitation"], got["shared_payment"], got["organisation"]) == pytest.approx((20, 10, -5))
    assert sum(got.values()) == pytest.approx(s.score[0])
    # an organisation worth more than the coordination evidence cannot touch behaviour
    c.weights["organisation"] = 50
    s = score_features(_row(n_accounts=3, elicitation_share=0.3, shared_payment_share=0.6, org_share=0.9), c)
    assert s.score[0] == pytest.approx(20)
    got = dict(zip([e.name for e in s.evidence], s.contributions[0]))
    assert got["organisation"] == pytest.approx(-10)


def test_score_is_capped_at_100_and_floored_at_0():
    everything = _row(n_accounts=50, **{e.column: e.hi for e in SUSPICIOUS})
    assert score_features(everything, ScoringConfig()).score[0] == 100
    benign = _row(n_accounts=50, org_share=1.0)
    assert score_features(benign, ScoringConfig()).score[0] == 0


def test_a_single_account_scores_zero():
    one = _row(n_accounts=1, **{e.column: e.hi for e in SUSPICIOUS})
    s = score_features(one, ScoringConfig())
    assert s.score[0] == 0 and s.band == ["low"]


def test_config_overrides_weights_and_curves():
    c = ScoringConfig(weights={"elicitation": 50}, curves={"elicitation": [0.0, 0.5]})
    e = {x.name: x for x in evidence_set(c)}["elicitation"]
    assert (e.weight, e.lo, e.hi) == (50, 0.0, 0.5)
    with pytest.raises(ConfigError, match="unknown evidence nosuch"):
        evidence_set(ScoringConfig(weights={"nosuch": 1}))
    with pytest.raises(ConfigError, match="must not be negative"):
        evidence_set(ScoringConfig(weights={"organisation": -30}))
    with pytest.raises(ConfigError, match="lo != hi"):
        evidence_set(ScoringConfig(curves={"elicitation": [0.5, 0.5]}))
    with pytest.raises(ConfigError, match="multiple"):
        score_features(_row(n_accounts=3), ScoringConfig(lockstep_minutes=7))


_values = st.floats(min_value=0, max_value=50, allow_nan=False)


@settings(max_examples=80, deadline=None)
@given(
    base=st.fixed_dictionaries({e.column: _values for e in EVIDENCE}),
    n=st.integers(min_value=1, max_value=500),
    which=st.sampled_from(EVIDENCE),
    bump=st.floats(min_value=0, max_value=20, allow_nan=False),
)
def test_score_is_monotone_in_every_feature(base, n, which, bump):
    rising = which.hi > which.lo                       # the feature grows toward strength 1
    toward = base[which.column] + (bump if rising else -bump)
    moved = dict(base) | {which.column: toward}
    before = score_features(_row(n_accounts=n, **base), ScoringConfig()).score[0]
    after = score_features(_row(n_accounts=n, **moved), ScoringConfig()).score[0]
    if which.kind == "mitigating":
        assert after <= before
    else:
        assert after >= before
    # and a larger cluster with the same features never scores lower
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
    weights = {e.name: e.weight for e in EVIDENCE}
    top = max(weights, key=weights.get)
    assert top == "elicitation"
    assert reasons[0] == "100% of 576 requests ask for step-by-step reasoning or for grading"
    contributions = json.loads(rows["C-r00"][3])
    assert contributions["elicitation"] == pytest.approx(weights["elicitation"])
    assert contributions["own_elicitation"] == pytest.approx(weights["own_elicitation"])
    # 12 accounts x 48 requests over 2 days: 24 per active day, at full strength
    assert contributions["heavy_use"] == pytest.approx(weights["heavy_use"])
    assert "Only 2 accounts" in json.loads(rows["C-p0"][2])[-1]


def test_mitigating_organisation_is_always_named(world):
    members = []
    for i in range(8):
        members.append(world.account(f"e{i}", at(-400), org_id="org-acme"))
        world.requests(f"e{i}", [at(0, 10 + i)], prompt="think step by step about our budget")
    run_id = world.run({"C-e0": members})
    weights = ONLY | {"elicitation": 40.0, "signup_burst": 20.0, "organisation": 30.0}
    score_run(world.db, Config().with_overrides({"scoring.weights": weights}), run_id)
    score, reasons = world.db.execute("SELECT score, reasons FROM run_scores").fetchone()
    reasons = json.loads(reasons)
    # elicitation 100% -> +40; all 8 created together -> +20, offset by the organisation (30, capped at 20)
    assert score == 40
    assert reasons == [
        "100% of 8 requests ask for step-by-step reasoning or for grading",
        "8 of 8 accounts were created within 24 hours",
        "8 of 8 accounts belong to one declared organisation (org-acme), as in an enterprise, campus or lab "
        "(offsets 20 points of shared infrastructure and timing)",
    ]


def test_rescoring_replaces_the_runs_rows(world):
    members = _family(world, "f", 3)
    run_id = world.run({"C-f0": members})
    score_run(world.db, Config(), run_id)
    score_run(world.db, Config().with_overrides({"scoring.weights": {"organisation": 5}}), run_id)
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
