"""Evaluation against labels: precision / recall per band, per-campaign recall, benign
false positives, purity and ARI, on a hand-made run whose figures are worked out here."""

from __future__ import annotations

import csv
import json

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphlink.config import Config
from graphlink.db import Database
from graphlink.errors import InputError, NotFoundError
from graphlink.evaluate import adjusted_rand_index, evaluate

from scoring_fixtures import Builder, at

# account -> (label, campaign_id, group_kind, group_id)
LABELS = {
    "a1": ("distillation", "camp-lb-01", "loadbal", None),
    "a2": ("distillation", "camp-lb-01", "loadbal", None),
    "a3": ("distillation", "camp-lb-01", "loadbal", None),
    "a4": ("distillation", "camp-lb-01", "loadbal", None),
    "c1": ("distillation", "camp-st-02", "stealth", None),
    "c2": ("distillation", "camp-st-02", "stealth", None),
    "c3": ("distillation", "camp-st-02", "stealth", None),
    "b1": ("benign", None, "family", "fam-1"),
    "f2": ("benign", None, "family", "fam-2"),
    "f3": ("benign", None, "family", "fam-2"),
    "e1": ("benign", None, "individual", None),
    "e2": ("benign", None, "enterprise", "ent-1"),
    "z1": ("benign", None, "individual", None),   # never seen by the run
}


@pytest.fixture
def world(tmp_path):
    db = Database(tmp_path / "eval.duckdb")
    b = Builder(db)
    for a in sorted(set(LABELS) | {"u1", "u2"}):
        b.account(a)
    # clustered accounts are seen through their clusters; these through a request
    for a in ("c3", "e1", "e2", "u1"):
        b.request(a, at(0, 1))
    run_id = b.run({
        "C-a": ["a1", "a2", "a3", "a4", "b1", "u2"],
        "C-c": ["c1", "c2"],
        "C-f": ["f2", "f3"],
    })
    for cid, score, band in (("C-a", 90.0, "high"), ("C-c", 50.0, "medium"), ("C-f", 5.0, "low")):
        db.execute(
            "INSERT INTO run_scores VALUES ($r, $c, $s, $b, $s, 1.0, '{}', '[]')",
            {"r": run_id, "c": cid, "s": score, "b": band},
        )
    yield b
    db.close()


def _write_csv(path, rows, header=("account_id", "label", "campaign_id", "group_kind", "group_id")):
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for account, values in sorted(rows.items()):
            w.writerow([account, *["" if v is None else v for v in values]])
    return path


def _check_figures(ev):
    assert (ev.labelled, ev.labelled_unseen) == (13, 1)
    assert (ev.accounts, ev.positives, ev.negatives) == (12, 7, 5)
    high, medium = ev.band("high"), ev.band("medium")
    # high: a1-a4 and b1 flagged (u2 carries no label)
    assert (high["flagged"], high["tp"], high["fp"], high["fn"]) == (5, 4, 1, 3)
    assert high["precision"] == pytest.approx(4 / 5) and high["recall"] == pytest.approx(4 / 7)
    assert high["fpr"] == pytest.approx(1 / 5)
    # medium or high: c1, c2 join
    assert (medium["flagged"], medium["tp"], medium["fp"], medium["fn"]) == (7, 6, 1, 1)
    assert medium["precision"] == pytest.approx(6 / 7) and medium["recall"] == pytest.approx(6 / 7)
    styles = {s["style"]: s for s in ev.styles}
    assert styles["loadbal"]["recall_high"] == 1.0 and styles["loadbal"]["accounts"] == 4
    assert styles["stealth"]["recall_high"] == 0.0
    assert styles["stealth"]["recall_medium"] == pytest.approx(2 / 3)
    assert [c["campaign_id"] for c in ev.campaigns] == ["camp-lb-01", "camp-st-02"]
    assert ev.campaigns[1]["clusters"] == 1   # c3 is in no cluster
    benign = {g["group_kind"]: g for g in ev.benign}
    assert (benign["family"]["groups"], benign["family"]["accounts"], benign["family"]["high"]) == (2, 3, 1)
    assert benign["family"]["fpr_high"] == pytest.approx(1 / 3) and benign["family"]["groups_flagged"] == 1
    assert benign["individual"]["accounts"] == 1 and benign["individual"]["fpr_high"] == 0
    assert benign["enterprise"]["groups"] == 1
    # purity: C-a 4 of 5 (b1 is another class), C-c 2 of 2, C-f 2 of 2
    assert ev.clusters == 3
    assert ev.purity == pytest.approx(8 / 9) and ev.purity_high == pytest.approx(4 / 5)
    assert ev.label_purity == pytest.approx(8 / 9) and ev.label_purity_high == pytest.approx(4 / 5)
    # ARI from the contingency table: sum C(n_ij,2) = 6 + 1 + 1 = 8; predicted
    # sizes 5,2,2,1,1,1 -> 12 pairs; true sizes 4,3,2,1,1,1 -> 10 pairs; C(12,2) = 66.
    # (8 - 120/66) / (11 - 120/66) = 68 / 101
    assert ev.ari == pytest.approx(68 / 101)
    assert (ev.unlabelled_high, ev.unlabelled_medium) == (1, 0)


def test_evaluate_against_a_labels_csv(world, tmp_path):
    path = _write_csv(tmp_path / "labels.csv", LABELS)
    ev = evaluate(world.db, Config(), labels=path)
    assert ev.labels == str(path)
    _check_figures(ev)
    # temporary tables are gone, the run is untouched
    assert not world.db.table_exists("eval_accounts")
    json.dumps(ev.to_dict())


def test_evaluate_against_jsonl_and_parquet(world, tmp_path):
    rows = [
        {"Account_ID": a, "LABEL": v[0], "campaign_id": v[1], "group_kind": v[2], "group_id": v[3]}
        for a, v in sorted(LABELS.items())
    ]
    jsonl = tmp_path / "labels.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows))
    _check_figures(evaluate(world.db, Config(), labels=jsonl))
    parquet = tmp_path / "labels.parquet"
    pq.write_table(pa.Table.from_pylist(rows), parquet)
    _check_figures(evaluate(world.db, Config(), labels=parquet))


def test_evaluate_against_the_labels_table(world):
    for a, (label, campaign, kind, group) in LABELS.items():
        extra = {"group_kind": kind} | ({"group_id": group} if group else {})
        world.label(a, label, campaign, extra)
    ev = evaluate(world.db, Config())
    assert ev.labels == "labels table"
    _check_figures(ev)


def test_column_mapping_and_missing_columns(world, tmp_path):
    mapped = _write_csv(tmp_path / "mapped.csv", LABELS,
                        header=("user", "verdict", "campaign_id", "group_kind", "group_id"))
    config = Config().with_overrides({"ingest.mapping": {"user": "account_id", "verdict": "label"}})
    _check_figures(evaluate(world.db, config, labels=mapped))
    with pytest.raises(InputError, match="lacks column.*account_id, label.*user, verdict"):
        evaluate(world.db, Config(), labels=mapped)
    with pytest.raises(InputError, match="does not exist"):
        evaluate(world.db, Config(), labels=tmp_path / "nope.csv")
    with pytest.raises(InputError, match="unknown format"):
        evaluate(world.db, Config(), labels=mapped.rename(tmp_path / "labels.xlsx"))


def test_without_group_columns_benign_is_one_kind(world, tmp_path):
    plain = {a: (v[0], v[1]) for a, v in LABELS.items()}
    path = _write_csv(tmp_path / "plain.csv", plain, header=("account_id", "label", "campaign_id"))
    ev = evaluate(world.db, Config(), labels=path)
    assert [g["group_kind"] for g in ev.benign] == ["benign"]
    # the style falls back to the campaign id without its number
    assert sorted(s["style"] for s in ev.styles) == ["camp-lb", "camp-st"]


def test_no_scored_run(tmp_path):
    with Database(tmp_path / "empty.duckdb") as db:
        with pytest.raises(NotFoundError, match="no scored run"):
            evaluate(db, Config())


def test_no_labels(world):
    with pytest.raises(NotFoundError, match="no labels"):
        evaluate(world.db, Config())


# -- the adjusted Rand index ------------------------------------------------------------


def test_ari_worked_example():
    # contingency (0,0)=2 (0,1)=1 (1,1)=1 (1,2)=2: index 2; rows 3,3 -> 6 pairs;
    # columns 2,2,2 -> 3 pairs; C(6,2) = 15; expected 6*3/15 = 1.2; max 4.5
    assert adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) == pytest.approx((2 - 1.2) / (4.5 - 1.2))


def test_ari_extremes():
    assert adjusted_rand_index([0, 0, 1, 1], [5, 5, 9, 9]) == 1.0
    assert adjusted_rand_index([0, 1, 2, 3], [0, 1, 2, 3]) == 1.0   # all singletons on both sides
    # every item alone against everything together: no agreeing pair
    assert adjusted_rand_index([0, 1, 2, 3], [0, 0, 0, 0]) == pytest.approx(0.0)
    with pytest.raises(ValueError):
        adjusted_rand_index([0, 1], [0])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=2, max_size=40),
       st.permutations(range(5)))
def test_ari_is_symmetric_and_ignores_label_names(pairs, perm):
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    ari = adjusted_rand_index(a, b)
    assert ari == pytest.approx(adjusted_rand_index(b, a))
    assert ari == pytest.approx(adjusted_rand_index(np.array(perm)[a], b))
    assert adjusted_rand_index(a, a) == pytest.approx(1.0)
    assert ari <= 1.0 + 1e-12


# -- the command ---------------------------------------------------------------------


def test_evaluate_command(world, tmp_path):
    from typer.testing import CliRunner

    from graphlink.cli import app

    path = _write_csv(tmp_path / "labels.csv", LABELS)
    db_path = world.db.path
    world.db.close()
    runner = CliRunner()
    out = runner.invoke(app, ["--db", db_path, "evaluate", "--labels", str(path), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["ari"] == pytest.approx(68 / 101)
    assert [b["band"] for b in data["bands"]] == ["high", "medium"]
    out = runner.invoke(app, ["--db", db_path, "evaluate", "--labels", str(path), "--campaigns"])
    assert out.exit_code == 0, out.output
    assert "Recall per campaign style" in out.stdout and "camp-st-02" in out.stdout
    assert "80.0%" in out.stdout    # precision of the high band
    out = runner.invoke(app, ["--db", db_path, "evaluate", "--labels", str(tmp_path / "missing.csv")])
    assert out.exit_code == 2 and "does not exist" in out.output


def test_evaluate_other_verdicts_over_the_same_window(world, tmp_path):
    # a peer detector that flags c1..c3 and e1 as one cluster, high
    verdicts = pa.table({
        "account_id": ["c1", "c2", "c3", "e1"],
        "cluster_id": ["P-1"] * 4,
        "score": [100.0] * 4,
        "band": ["high"] * 4,
    })
    ev = evaluate(world.db, Config(), labels=_write_csv(tmp_path / "labels.csv", LABELS), verdicts=verdicts)
    # the same 12 labelled accounts are seen (the run's window and members)
    assert (ev.accounts, ev.positives, ev.negatives) == (12, 7, 5)
    high = ev.band("high")
    assert (high["flagged"], high["tp"], high["fp"], high["fn"]) == (4, 3, 1, 4)
    assert {s["style"]: s["high"] for s in ev.styles} == {"loadbal": 0, "stealth": 3}
    # one cluster: campaign Y x3 and e1 -> purity 3/4
    assert ev.clusters == 1 and ev.purity == pytest.approx(3 / 4)
    assert ev.unlabelled_high == 0


def test_truth_run_scores_the_true_groups(world, tmp_path):
    from graphlink.evaluate import truth_run

    world.request("a1", at(0, 2))
    world.request("a2", at(0, 3))
    path = _write_csv(tmp_path / "labels.csv", LABELS)
    run = truth_run(world.db, Config(), path, like_run=1)
    assert run == 2
    clusters = world.db.execute(
        "SELECT cluster_id, size, method FROM run_clusters WHERE run_id = 2 ORDER BY cluster_id").fetchall()
    # seen in the window: a1, a2 (campaign lb-01), c3 (campaign st-02), e2 (group ent-1); e1 has no group
    assert clusters == [("T-camp-lb-01", 2, "truth"), ("T-camp-st-02", 1, "truth"), ("T-ent-1", 1, "truth")]
    assert world.db.execute("SELECT count(*) FROM run_scores WHERE run_id = 2").fetchall() == [(3,)]
    ev = evaluate(world.db, Config(), labels=path, run_id=run)
    assert ev.clusters == 3 and ev.purity == 1.0
    with pytest.raises(NotFoundError, match="run 9 does not exist"):
        truth_run(world.db, Config(), path, like_run=9)
