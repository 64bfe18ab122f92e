"""``graphlink demo``: one command takes a newcomer from nothing to clusters, a graph page and a report."""

from __future__ import annotations

import csv
import json

import duckdb
import pytest
from typer.testing import CliRunner

from graphlink.cli import app
from graphlink.config import load_config
from graphlink.demo import run_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return run_demo(out, load_config(discover=False), accounts=400, days=14, seed=3)


def test_demo_writes_every_output(demo):
    assert demo.database.is_file()
    assert demo.graph_page is not None and demo.graph_page.is_file()
    report_files = {p.name for p in demo.report_dir.iterdir()}
    assert {"report.html", "report.md", "clusters.json", "clusters.csv", "accounts.csv"} <= report_files
    doc = json.loads((demo.report_dir / "clusters.json").read_text(encoding="utf-8"))
    assert doc["week"] == demo.report_week


def test_demo_graph_page_is_the_top_cluster(demo):
    top = demo.clusters[0]
    page = demo.graph_page.read_text(encoding="utf-8")
    assert top["cluster_id"] in page
    # sorted by score: nothing after the first scores higher
    assert all((c["score"] or 0) <= (top["score"] or 0) for c in demo.clusters)


def test_demo_top_cluster_is_a_campaign(demo):
    """The world's ground truth: every member of the top cluster belongs to a distillation campaign."""
    truth = demo.world / "truth" / "labels.parquet"
    con = duckdb.connect(str(demo.database), read_only=True)
    try:
        members = {r[0] for r in con.execute(
            "SELECT account_id FROM run_members WHERE run_id = ? AND cluster_id = ?",
            [demo.run_id, demo.clusters[0]["cluster_id"]]).fetchall()}
        labels = dict(con.execute(f"SELECT account_id, label FROM read_parquet('{truth}')").fetchall())
    finally:
        con.close()
    assert len(members) == demo.clusters[0]["size"] >= 2
    assert {labels[m] for m in members} == {"distillation"}


def test_demo_evaluation_counts_the_world(demo):
    truth = demo.world / "truth" / "labels.parquet"
    n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{truth}')").fetchall()[0][0]
    assert demo.evaluation["labelled"] == n
    assert demo.bands.get("high", 0) >= 1


def test_demo_rerun_replaces_its_database(demo):
    again = run_demo(demo.out_dir, load_config(discover=False), accounts=400, days=14, seed=3)
    assert again.run_id == 1  # a fresh database, not a second run on the old one
    assert [c["cluster_id"] for c in again.clusters] == [c["cluster_id"] for c in demo.clusters]


def test_demo_command_prints_where_outputs_are(tmp_path):
    out = tmp_path / "d"
    result = CliRunner().invoke(app, ["demo", "--out", str(out), "--accounts", "400", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["graph_page"].startswith(str(out))
    with open(out / "report" / "accounts.csv", newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header[:2] == ["account_id", "cluster_id"]
