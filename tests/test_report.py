"""The weekly report on the hand-made W45/W46 world of report_fixtures.

W46 scores (set here): C-a01 82 high, C-m01 74 high, C-s01 50 medium,
C-r01 45 medium (holds the 6 ban-evading replacements r01-r06), C-k01 41
medium, C-p01 30 low, C-n01 20 low, C-s05 unscored.  Members make 3
requests each on the week's Tuesday.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphlink.cli import app
from graphlink.config import Config
from graphlink.db import Database
from graphlink.errors import ConfigError, NotFoundError
from graphlink.report import build_report, last_complete_week, parse_week, report_schema
from graphlink.report.render import accounts_csv_columns, clusters_csv_columns, md_escape
from graphlink.report.weeks import IsoWeek
from report_fixtures import W45_MON, W46_SCORES, XSS, World, ids, schema_errors, two_week_world, typed_csv_row

ORDER = ["C-a01", "C-m01", "C-r01", "C-s01", "C-k01", "C-p01", "C-n01", "C-s05"]
SIZES = {"C-a01": 14, "C-m01": 8, "C-r01": 6, "C-s01": 4, "C-k01": 7, "C-p01": 5, "C-n01": 4, "C-s05": 4}


def _world_db(folder: Path) -> Path:
    path = folder / "report.duckdb"
    with Database(path) as db:
        two_week_world(World(db), W46_SCORES)
    return path


@pytest.fixture()
def world_db(tmp_path):
    """Path of a fresh database holding the two-week world (closed, ready for the CLI or a fresh open)."""
    return _world_db(tmp_path)


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory):
    """The same, shared by the tests that only read it."""
    return _world_db(tmp_path_factory.mktemp("shared"))


@pytest.fixture(scope="module")
def report(shared_db, tmp_path_factory):
    with Database(shared_db) as db:
        return build_report(db, Config(), week="2026-W46", out_dir=tmp_path_factory.mktemp("report") / "out")


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_order_top_actions_and_changes(report):
    doc = json.loads((report.out_dir / "clusters.json").read_text(encoding="utf-8"))
    assert [c["cluster_id"] for c in doc["clusters"]] == ORDER
    # top: high band or ban evasion first, then the medium band; low and unscored never.
    assert doc["top"] == ["C-a01", "C-m01", "C-r01", "C-s01", "C-k01"]
    by = {c["cluster_id"]: c for c in doc["clusters"]}
    assert {cid: by[cid]["recommended_action"] for cid in ORDER} == {
        "C-a01": "enforce", "C-m01": "enforce", "C-r01": "enforce", "C-s01": "review",
        "C-k01": "review", "C-p01": "monitor", "C-n01": "monitor", "C-s05": "review"}
    assert {cid: by[cid]["change"] for cid in ORDER} == {
        "C-a01": "grown", "C-m01": "merged", "C-r01": "replaced", "C-s01": "split",
        "C-k01": "shrunk", "C-p01": "persisting", "C-n01": "new", "C-s05": "split"}
    r = by["C-r01"]
    assert (r["lineage_id"], r["prev_cluster_ids"], r["n_ban_evasion"], r["size_delta"]) == \
        ("L-2026W45-C-b01", ["C-b01"], 6, 0)
    assert by["C-a01"]["size_delta"] == 4 and by["C-a01"]["requests_per_account"] == 3.0
    assert doc["totals"] == {"requests": 52 * 3, "active_accounts": 52, "clusters": 8,
                             "clustered_accounts": 52, "ban_evasion_accounts": 6}
    assert doc["bands"] == {"high": 2, "medium": 3, "low": 2, "unscored": 1}
    assert doc["gone"] == [{"lineage_id": "L-2026W45-C-c01", "prev_cluster_id": "C-c01", "prev_size": 5,
                            "prev_score": 50.0, "prev_band": "medium"}]
    assert doc["previous"] == {"week": "2026-W45", "run_id": report.prev_run_id}
    # hourly activity for the top clusters: 3 requests per member at Tuesday 10, 11, 12 UTC.
    spark = by["C-a01"]["hourly_requests"]
    assert len(spark) == 168 and spark[24 + 10: 24 + 13] == [14, 14, 14] and sum(spark) == 42
    assert by["C-p01"]["hourly_requests"] is None
    assert by["C-a01"]["graph_command"].endswith("export html --run 2 --cluster C-a01 -o C-a01.html")


def test_json_and_csv_follow_the_schema(report):
    schema = report_schema()
    doc = json.loads((report.out_dir / "clusters.json").read_text(encoding="utf-8"))
    assert schema_errors(doc, schema) == []
    rows = _read_csv(report.out_dir / "clusters.csv")
    assert list(rows[0]) == clusters_csv_columns()
    row_schema = schema["$defs"]["clusters_csv_row"]
    for row in rows:
        assert schema_errors(typed_csv_row(row, row_schema, schema), {**row_schema, "$defs": schema["$defs"]}) == []
    assert [r["cluster_id"] for r in rows] == ORDER
    assert rows[0]["reasons"] == f"Shares {XSS} | *one* card_bin `x`. | Second reason."

    accounts = _read_csv(report.out_dir / "accounts.csv")
    assert list(accounts[0]) == accounts_csv_columns()
    acc_schema = schema["$defs"]["accounts_csv_row"]
    for row in accounts:
        assert schema_errors(typed_csv_row(row, acc_schema, schema), {**acc_schema, "$defs": schema["$defs"]}) == []
    # every member once, clusters in report order, accounts sorted within a cluster
    expected = [a for cid in ORDER for a in sorted(_members(cid))]
    assert [r["account_id"] for r in accounts] == expected
    r01 = next(r for r in accounts if r["account_id"] == "r01")
    assert r01 == {"account_id": "r01", "cluster_id": "C-r01", "lineage_id": "L-2026W45-C-b01", "score": "45.0",
                   "band": "medium", "recommended_action": "enforce", "account_status": "",
                   "created_at": "2026-11-05T00:00:00Z", "ban_evasion": "true"}
    s05 = next(r for r in accounts if r["account_id"] == "s05")
    assert (s05["score"], s05["band"], s05["recommended_action"], s05["ban_evasion"]) == ("", "unscored", "review", "false")


def _members(cid: str) -> list[str]:
    return {"C-a01": ids("a", 1, 14), "C-m01": ids("m", 1, 8), "C-r01": ids("r", 1, 6), "C-s01": ids("s", 1, 4),
            "C-k01": ids("k", 1, 7), "C-p01": ids("p", 1, 5), "C-n01": ids("n", 1, 4), "C-s05": ids("s", 5, 8)}[cid]


def test_schema_checker_catches_mistakes(report):
    schema = report_schema()
    doc = json.loads((report.out_dir / "clusters.json").read_text(encoding="utf-8"))
    bad = json.loads(json.dumps(doc))
    bad["clusters"][0]["size"] = "14"
    del bad["clusters"][1]["lineage_id"]
    bad["clusters"][2]["surprise"] = 1
    bad["week"] = "2026-46"
    bad["clusters"][3]["band"] = "urgent"
    errors = schema_errors(bad, schema)
    assert len(errors) == 5, errors
    assert any("$.clusters[0].size" in e for e in errors)
    assert any("missing 'lineage_id'" in e for e in errors)
    assert any("unexpected 'surprise'" in e for e in errors)


def test_same_week_twice_gives_the_same_files(shared_db, tmp_path):
    with Database(shared_db) as db:
        first = build_report(db, Config(), week="2026-W46", out_dir=tmp_path / "one",
                             generated_at=dt.datetime(2026, 11, 16, 8, 0, tzinfo=dt.timezone.utc))
        second = build_report(db, Config(), week="2026-W46", out_dir=tmp_path / "two")
    assert first.run_reused and second.run_reused and second.run_id == first.run_id
    assert first.generated_at == "2026-11-16T08:00:00Z"
    for name in first.files:
        a = (first.out_dir / name).read_text(encoding="utf-8")
        b = (second.out_dir / name).read_text(encoding="utf-8")
        assert a.count(first.generated_at) == (1 if name in ("clusters.json", "report.md", "report.html") else 0)
        strip = lambda text, stamp: [ln for ln in text.splitlines() if stamp not in ln]  # noqa: E731
        assert strip(a, first.generated_at) == strip(b, second.generated_at), name


def test_data_strings_are_escaped(report):
    page = (report.out_dir / "report.html").read_text(encoding="utf-8")
    assert "<img" not in page and "<script" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    md = (report.out_dir / "report.md").read_text(encoding="utf-8")
    assert md_escape(f"Shares {XSS} | *one* card_bin `x`.") in md
    assert "\\<img src=x onerror=alert(1)\\> \\| \\*one\\* card\\_bin \\`x\\`." in md


def test_markdown_escape():
    assert md_escape("a|b*c_d`e[f]<g>#h~i\\j") == "a\\|b\\*c\\_d\\`e\\[f\\]\\<g\\>\\#h\\~i\\\\j"
    assert md_escape("two\nlines") == "two lines"
    assert md_escape(None) == ""


def test_week_without_data_says_so(shared_db, tmp_path):
    with Database(shared_db) as db:
        with pytest.raises(NotFoundError) as info:
            build_report(db, Config(), week="2026-W30", out_dir=tmp_path / "empty")
    message = str(info.value)
    assert "no requests in week 2026-W30 (Mon 2026-07-20 to Sun 2026-07-26 UTC)" in message
    assert "2026-W45 to 2026-W46" in message
    assert not (tmp_path / "empty").exists()


def test_default_week_is_the_last_complete_one(world_db, tmp_path):
    with Database(world_db) as db:
        world = World(db)
        world.accounts(["z01"], W45_MON)
        # data from W45's Monday to W46's Sunday: W46 is complete
        world.requests("z01", [W45_MON + dt.timedelta(minutes=30), W45_MON + dt.timedelta(days=13, hours=23)])
        result = build_report(db, Config(), out_dir=tmp_path / "default")
    assert result.week == "2026-W46"


def test_last_complete_week(tmp_path):
    sun46 = W45_MON + dt.timedelta(days=13, hours=12)
    sat46 = W45_MON + dt.timedelta(days=12, hours=12)
    wed45 = W45_MON + dt.timedelta(days=2)
    with Database(tmp_path / "weeks.duckdb") as db:
        world = World(db)

        def week_of(times):
            db.execute("DELETE FROM requests")
            world.requests("z", times)
            return last_complete_week(db)

        assert week_of([W45_MON, sun46]) == IsoWeek(2026, 46)
        assert week_of([W45_MON, sat46]) == IsoWeek(2026, 45)
        with pytest.raises(NotFoundError, match="covers no whole ISO week"):
            week_of([wed45, sat46])
        with pytest.raises(NotFoundError, match="no requests"):
            week_of([])


def test_parse_week():
    assert parse_week("2026-W47") == IsoWeek(2026, 47)
    assert parse_week("2026w7").label == "2026-W07"
    # 1 January 2026 is a Thursday, so week 1 starts on Monday 29 December 2025 and 2026 has 53 weeks.
    assert parse_week("2026-W01").since == dt.datetime(2025, 12, 29)
    assert parse_week("2026-W53").until == dt.datetime(2027, 1, 4)
    assert IsoWeek.of(dt.datetime(2026, 11, 22, 23, 59)).label == "2026-W47"
    with pytest.raises(ConfigError, match="2025-W53 is not an ISO week"):
        parse_week("2025-W53")  # 1 January 2025 is a Wednesday in a common year: 52 weeks
    with pytest.raises(ConfigError, match="expected an ISO week"):
        parse_week("2026-47")


def test_cli_report(world_db, tmp_path):
    runner = CliRunner()
    out = tmp_path / "cli"
    res = runner.invoke(app, ["--db", str(world_db), "report", "--week", "2026-W46", "--out", str(out),
                              "--top", "2", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["week"] == "2026-W46" and [c["cluster_id"] for c in data["top"]] == ["C-a01", "C-m01"]
    assert sorted(p.name for p in out.iterdir()) == sorted(data["files"])
    res = runner.invoke(app, ["--db", str(world_db), "report", "--week", "2026-W30", "--out", str(out)])
    assert res.exit_code == 1
    assert "error: no requests in week 2026-W30" in res.stderr
    res = runner.invoke(app, ["--db", str(world_db), "report", "--week", "last week"])
    assert res.exit_code == 2 and "expected an ISO week" in res.stderr


DOC = Path(__file__).resolve().parent.parent / "docs" / "report-schema.md"


@pytest.mark.skipif(not DOC.is_file(), reason="docs/ is not shipped with the installed package")
def test_schema_doc_lists_exactly_the_schema_fields():
    parts = re.split(r"^### `([^`]+)`", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)
    documented = {name: re.findall(r"^\| `([^`]+)` \|", body, flags=re.MULTILINE)
                  for name, body in zip(parts[1::2], parts[2::2])}
    schema = report_schema()
    expected = {"clusters.json": list(schema["properties"])}
    for name in ("previous", "totals", "bands", "changes"):
        expected[name] = list(schema["properties"][name]["properties"])
    for name in ("cluster", "evidence", "gone", "ban_evasion", "clusters_csv_row", "accounts_csv_row"):
        expected[name] = list(schema["$defs"][name]["properties"])
    assert documented == expected


def test_a_week_without_clusters(world_db, tmp_path):
    with Database(world_db) as db:
        world = World(db)
        world.accounts(["z01"], W45_MON)
        world.requests("z01", [W45_MON + dt.timedelta(days=15)])  # one request in W47, no cluster
        world.run("2026-W47", {}, with_requests=False)
        result = build_report(db, Config(), week="2026-W47", out_dir=tmp_path / "quiet")
    doc = json.loads((result.out_dir / "clusters.json").read_text(encoding="utf-8"))
    assert schema_errors(doc, report_schema()) == []
    assert doc["clusters"] == [] and doc["top"] == []
    # all 8 clusters of W46 went quiet
    assert doc["changes"]["gone"] == 8 and len(doc["gone"]) == 8
    assert "No clusters this week." in (result.out_dir / "report.md").read_text(encoding="utf-8")
    assert (result.out_dir / "accounts.csv").read_text(encoding="utf-8").splitlines() == [",".join(accounts_csv_columns())]
