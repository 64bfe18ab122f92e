"""graphlink synth: files in the data contract's format, byte-identical for a seed, valid row by row."""

from __future__ import annotations

import csv
import datetime as dt
import ipaddress
import json
import re
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from graphlink.cli import app
from graphlink.errors import ConfigError, InputError
from graphlink.synth import BENIGN_KINDS, STYLES, generate, world_size

CONTRACT = {
    "accounts": {"account_id", "created_at", "org_id", "email_domain", "country", "tier", "status"},
    "payment_methods": {"account_id", "payment_fingerprint", "method_type", "card_bin", "billing_country", "added_at"},
    "requests": {"request_id", "account_id", "ts", "ip", "device_fingerprint", "user_agent", "api_key_id",
                 "model", "prompt", "prompt_tokens", "completion_tokens"},
    "ip_intel": {"cidr", "asn", "as_org", "ip_type"},
    "labels": {"account_id", "label", "campaign_id", "source", "labeled_at"},
}
ISO_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
CARD_LIKE = re.compile(r"[0-9](?:[ -]?[0-9]){12}")  # 13 digits, maybe grouped: a card look-alike


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def csv_world(tmp_path_factory):
    out = tmp_path_factory.mktemp("csv_world")
    result = generate(out, accounts=300, days=10, seed=11, fmt="csv")
    return out, result


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_same_seed_gives_the_same_bytes(tmp_path, fmt):
    a = generate(tmp_path / "a", accounts=250, days=9, seed=5, fmt=fmt)
    b = generate(tmp_path / "b", accounts=250, days=9, seed=5, fmt=fmt)
    files_a, files_b = _files(tmp_path / "a"), _files(tmp_path / "b")
    # 3 tables + labels + manifest + 9 days from Monday 2026-11-02 = ISO weeks 45 and 46,
    # for the requests and for their true templates
    assert sorted(files_a) == sorted([
        f"accounts.{fmt}", f"payment_methods.{fmt}", f"ip_intel.{fmt}",
        f"requests/requests-2026-W45.{fmt}", f"requests/requests-2026-W46.{fmt}",
        f"truth/labels.{fmt}", "truth/world.json",
        f"truth/request_scaffolds/request_scaffolds-2026-W45.{fmt}",
        f"truth/request_scaffolds/request_scaffolds-2026-W46.{fmt}",
    ])
    assert files_a == files_b
    assert a.rows == b.rows
    c = generate(tmp_path / "c", accounts=250, days=9, seed=6, fmt=fmt)
    files_c = _files(tmp_path / "c")
    assert files_c[f"accounts.{fmt}"] != files_a[f"accounts.{fmt}"]
    assert files_c[f"requests/requests-2026-W45.{fmt}"] != files_a[f"requests/requests-2026-W45.{fmt}"]
    assert c.rows["accounts"] == 250


def test_formats_hold_the_same_rows(tmp_path):
    for fmt in ("csv", "parquet", "jsonl"):
        generate(tmp_path / fmt, accounts=220, days=3, seed=9, fmt=fmt)
    con = duckdb.connect()
    readers = {
        "csv": "read_csv('{}', all_varchar=true)",
        "parquet": "read_parquet('{}')",
        "jsonl": "read_json('{}', format='newline_delimited')",
    }
    digests = set()
    for fmt, reader in readers.items():
        src = reader.format(tmp_path / fmt / "requests" / f"*.{fmt}")
        digests.add(con.execute(
            f"SELECT count(*), sum(hash(request_id || account_id || ip || prompt || CAST(completion_tokens AS VARCHAR))),"
            f" min(CAST(ts AS VARCHAR)) FROM {src}"
        ).fetchone()[:2])
    assert len(digests) == 1


def test_layout_and_columns_follow_the_contract(csv_world):
    out, result = csv_world
    tables = {
        "accounts": [out / "accounts.csv"],
        "payment_methods": [out / "payment_methods.csv"],
        "ip_intel": [out / "ip_intel.csv"],
        "labels": [out / "truth" / "labels.csv"],
        "requests": sorted((out / "requests").glob("requests-*.csv")),
    }
    scaffolds = sorted((out / "truth" / "request_scaffolds").glob("request_scaffolds-*.csv"))
    assert {k: [Path(p) for p in v] for k, v in result.paths.items()} == {**tables, "request_scaffolds": scaffolds}
    for name, paths in tables.items():
        for path in paths:
            rows = _read_csv(path)
            assert rows, path
            assert CONTRACT[name] <= set(rows[0]), (path, CONTRACT[name] - set(rows[0]))
        assert sum(len(_read_csv(p)) for p in paths) == result.rows[name]
    labels = _read_csv(out / "truth" / "labels.csv")
    assert {"group_kind", "group_id"} <= set(labels[0])


def test_every_row_is_valid(csv_world):
    out, _ = csv_world
    accounts = _read_csv(out / "accounts.csv")
    ids = [a["account_id"] for a in accounts]
    assert len(ids) == len(set(ids)) == 300
    known = set(ids)
    for a in accounts:
        assert ISO_UTC.fullmatch(a["created_at"])
        assert a["status"] in {"active", "suspended", "banned"}
        assert a["tier"] in {"free", "pro", "api", "enterprise"}
        assert re.fullmatch(r"[A-Z]{2}", a["country"])
        assert a["email_domain"] == a["email_domain"].lower() and "." in a["email_domain"]
        assert (a["status"] == "banned") == bool(a["banned_at"])
    payments = _read_csv(out / "payment_methods.csv")
    assert len({(p["account_id"], p["payment_fingerprint"]) for p in payments}) == len(payments)
    for p in payments:
        assert p["account_id"] in known
        assert p["method_type"] in {"card", "virtual_card", "prepaid", "wallet", "invoice"}
        assert p["card_bin"] == "" or re.fullmatch(r"\d{6,8}", p["card_bin"])
        assert (p["card_bin"] == "") == (p["method_type"] in {"wallet", "invoice"})
        assert ISO_UTC.fullmatch(p["added_at"])
    for row in _read_csv(out / "ip_intel.csv"):
        ipaddress.ip_network(row["cidr"], strict=True)
        assert int(row["asn"]) > 0
    request_ids = set()
    first = dt.datetime(2026, 11, 2, tzinfo=dt.timezone.utc)
    last = first + dt.timedelta(days=10)
    created = {a["account_id"]: a["created_at"] for a in accounts}
    for path in sorted((out / "requests").glob("*.csv")):
        for r in _read_csv(path):
            assert r["request_id"] not in request_ids
            request_ids.add(r["request_id"])
            assert r["account_id"] in known
            assert ISO_UTC.fullmatch(r["ts"])
            ts = dt.datetime.fromisoformat(r["ts"].replace("Z", "+00:00"))
            assert first <= ts < last
            assert r["ts"] > created[r["account_id"]]  # ISO strings compare as times
            week = ts.isocalendar()
            assert path.name == f"requests-{week.year}-W{week.week:02d}.csv"
            ipaddress.ip_address(r["ip"])
            assert int(r["prompt_tokens"]) >= 1 and int(r["completion_tokens"]) >= 1
            assert r["prompt"] and r["model"] and r["device_fingerprint"] and r["user_agent"]
    labels = _read_csv(out / "truth" / "labels.csv")
    assert {l["account_id"] for l in labels} == known
    for l in labels:
        assert l["label"] in {"benign", "distillation"}
        assert (l["label"] == "distillation") == bool(l["campaign_id"])
        assert l["group_kind"] in (STYLES if l["label"] == "distillation" else BENIGN_KINDS)
        if l["campaign_id"]:
            assert l["campaign_id"] == l["group_id"]
            assert re.fullmatch(rf"camp-{l['group_kind']}-\d{{2,}}", l["campaign_id"])


def test_no_card_like_number_anywhere(csv_world):
    out, _ = csv_world
    for path in sorted(out.rglob("*.csv")):
        text = path.read_text(encoding="utf-8")
        assert not CARD_LIKE.search(text), (path, CARD_LIKE.search(text).group(0))


def test_result_and_manifest_agree(csv_world):
    out, result = csv_world
    manifest = json.loads((out / "truth" / "world.json").read_text())
    assert manifest["rows"] == result.rows
    assert manifest["campaigns"] == result.campaigns
    assert {c["style"] for c in result.campaigns} == set(STYLES)
    labels = _read_csv(out / "truth" / "labels.csv")
    for c in result.campaigns:
        assert c["accounts"] == sum(l["campaign_id"] == c["campaign_id"] for l in labels)
    assert sum(result.groups.values()) == 300
    assert manifest["command"].startswith("graphlink synth OUT_DIR --accounts 300 --days 10 --seed 11 --format csv")


def test_request_scaffolds_name_the_true_template_of_every_request(csv_world):
    out, result = csv_world
    requests = [r for p in result.paths["requests"] for r in _read_csv(p)]
    truth = [r for p in result.paths["request_scaffolds"] for r in _read_csv(p)]
    # one truth row per request, in the same order, and none of it in the requests files
    assert [t["request_id"] for t in truth] == [r["request_id"] for r in requests]
    assert len({t["request_id"] for t in truth}) == len(truth) == result.rows["request_scaffolds"]
    assert "scaffold" not in requests[0]
    labels = {row["account_id"]: row for row in _read_csv(out / "truth" / "labels.csv")}
    names: dict[str, set[str]] = {}
    for req, t in zip(requests, truth):
        names.setdefault(t["scaffold"], set()).add(req["account_id"])
    organic = names.pop("", set())  # organic free-form prompts have no true template (empty in CSV)
    assert organic
    for name, accounts in names.items():
        assert re.fullmatch(r"(camp-[a-z]+-\d+/(frame|technique)-\d+|public/(template|benchmark)-\d+|[a-z]+-\d+/frame-\d+)", name), name
        if name.startswith("camp-"):
            # a campaign's true template is used by its accounts only, and by more than one of them
            # (the stealth campaign's accounts each send their own paraphrases of one frame)
            campaign = name.split("/")[0]
            assert {labels[a]["campaign_id"] for a in accounts} == {campaign}, name
    for c in result.campaigns:
        if c["style"] in ("stealth", "loadbal", "shift"):
            members = [a for a, row in labels.items() if row["campaign_id"] == c["campaign_id"]]
            shared = [n for n, acc in names.items() if n.startswith(c["campaign_id"] + "/")]
            assert len(shared) == 1, (c, shared)
            assert len(names[shared[0]]) > 1 and names[shared[0]] <= set(members)
    # a stealth campaign's accounts write different paraphrases under one true template
    stealth = next(n for n in names if n.startswith("camp-stealth-"))
    heads = {req["prompt"][:25] for req, t in zip(requests, truth) if t["scaffold"] == stealth}
    assert len(heads) > 1


def test_start_date_moves_the_weeks(tmp_path):
    result = generate(tmp_path, accounts=200, days=2, seed=1, fmt="csv", start="2027-01-03")
    # Sunday 2027-01-03 ends ISO week 2026-W53; Monday 2027-01-04 starts 2027-W01.
    assert [p.name for p in result.paths["requests"]] == ["requests-2026-W53.csv", "requests-2027-W01.csv"]


def test_refuses_to_overwrite_an_earlier_world_unless_asked(tmp_path):
    generate(tmp_path, accounts=200, days=1, seed=1, fmt="csv")
    with pytest.raises(InputError, match="--overwrite"):
        generate(tmp_path, accounts=200, days=1, seed=1, fmt="csv")
    generate(tmp_path, accounts=200, days=1, seed=1, fmt="parquet", overwrite=True)
    assert not list(tmp_path.rglob("*.csv"))  # the CSV world is gone, not mixed with the new one


@pytest.mark.parametrize("kwargs,message", [
    ({"accounts": 50}, "at least 200 accounts"),
    ({"fmt": "xlsx"}, "format must be one of"),
    ({"days": 0}, "days must be between"),
    ({"start": "next tuesday"}, "start must be a date"),
])
def test_bad_arguments_are_config_errors(tmp_path, kwargs, message):
    with pytest.raises(ConfigError, match=message):
        generate(tmp_path, **{"accounts": 200, "days": 1, **kwargs})


def test_presets():
    assert world_size("tiny") == (300, 14)
    assert world_size("tiny", days=3) == (300, 3)
    assert world_size(None, accounts=500) == (500, 28)
    with pytest.raises(ConfigError, match="unknown preset"):
        world_size("huge")


def test_cli_writes_a_world_and_reports_json(tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["synth", str(tmp_path / "w"), "--preset", "tiny", "--days", "2",
                              "--format", "jsonl", "--seed", "3", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["accounts"] == 300 and data["days"] == 2 and data["fmt"] == "jsonl"
    assert (tmp_path / "w" / "truth" / "labels.jsonl").is_file()
    again = runner.invoke(app, ["synth", str(tmp_path / "w"), "--preset", "tiny", "--days", "2"])
    assert again.exit_code == 2
    assert "--overwrite" in again.stderr


SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"


@pytest.mark.skipif(not SAMPLE.is_dir(), reason="data/sample is not shipped with the installed package")
def test_committed_sample_is_what_its_documented_command_writes(tmp_path):
    # data/README.md: graphlink synth data/sample --preset tiny --format csv
    runner = CliRunner()
    res = runner.invoke(app, ["synth", str(tmp_path / "sample"), "--preset", "tiny", "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert _files(tmp_path / "sample") == _files(SAMPLE)



@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_world_passes_strict_ingest_with_no_rejects(tmp_path, fmt):
    from graphlink.config import Config
    from graphlink.db import Database
    from graphlink.ingest import ingest

    result = generate(tmp_path / "w", accounts=300, days=10, seed=11, fmt=fmt)
    paths = [str(p) for name in ("accounts", "payment_methods", "ip_intel", "labels") for p in result.paths[name]]
    paths.append(str(tmp_path / "w" / "requests"))
    with Database(tmp_path / "g.duckdb") as db:
        res = ingest(db, Config(), paths, strict=True)
        assert res.rows_rejected == 0, res.rejected_by_reason
        assert res.unknown_accounts == 0
        for table in ("accounts", "payment_methods", "ip_intel", "labels", "requests"):
            assert db.count(table) == result.rows[table], table
        # extra columns are kept: the ban time of banned accounts, the benign group of labels
        banned = db.fetchone("SELECT count(*), count(extra ->> 'banned_at') FROM accounts WHERE status = 'banned'")
        assert banned[0] > 0 and banned[0] == banned[1]
        kinds = db.fetchone("SELECT count(DISTINCT extra ->> 'group_kind') FROM labels")[0]
        assert kinds == len(BENIGN_KINDS) + len(STYLES)


def test_company_names_stay_unique_when_the_word_space_runs_out(monkeypatch):
    # One word and one suffix make 1 + 97 names from the word space; a world of
    # millions of accounts asks for more than the real space holds.
    import numpy as np

    from graphlink.synth import spec, world

    monkeypatch.setattr(spec, "NAME_WORDS", ["Acme"])
    monkeypatch.setattr(spec, "NAME_SUFFIXES", ["Labs"])
    rng, used = np.random.default_rng(0), set()
    names = [world._name(rng, used) for _ in range(500)]
    assert len(set(names)) == 500
    assert names[0] == "Acme Labs"
    assert all(n.startswith("Acme Labs") for n in names)
