"""The ingest stage against the data contract, on small hand-made files.

Every expected number below is worked out from the fixture files in
tests/fixtures/ingest (each row's fate is noted next to the test), and every
file's rows are accounted for: loaded + rejected + duplicates = read.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from graphlink.config import Config
from graphlink.db import Database
from graphlink.errors import ConfigError, InputError
from graphlink.ingest import ingest

FIX = Path(__file__).parent / "fixtures" / "ingest"
CARDS = ["4111111111111111", "4111 1111 1111 1111", "5555555555554444", "4012888888881881"]


@pytest.fixture
def db(tmp_path):
    with Database(tmp_path / "test.duckdb") as database:
        yield database


def run(db, *paths, config=None, **kw):
    result = ingest(db, config or Config(), [str(p) for p in paths], **kw)
    for f in result.files:
        assert f.rows_loaded + f.rows_rejected + f.rows_duplicate == f.rows_read, f
        assert sum(f.rejected_by_reason.values()) == f.rows_rejected
    return result


def rejects(db, table):
    return db.execute(
        "SELECT source_row, reason FROM rejects WHERE table_name = $t ORDER BY source_row", {"t": table}
    ).fetchall()


def ip4(a, b, c, d):
    return a * 256**3 + b * 256**2 + c * 256 + d


# -- every rule, table by table ---------------------------------------------


def test_requests_every_rule(db):
    # rows: 1 r1 ok; 2 r2 ok (+02:00 offset, IPv6 upper case); 3 r3 ok (epoch ms,
    # IPv4-mapped IPv6, card number in prompt, account a9 unknown); 4 bad ts;
    # 5 bad ip; 6 negative tokens; 7 tokens 'ten'; 8 r1 again, same values;
    # 9 r1 again, other ts; 10 card number as account_id; 11 no ip; 12 too few fields
    f = run(db, FIX / "requests.csv").files[0]
    assert (f.table, f.rows_read, f.rows_loaded, f.rows_rejected, f.rows_duplicate) == ("requests", 12, 3, 8, 1)
    assert f.rows_masked == 1
    assert f.rejected_by_reason == {
        "bad_timestamp": 1, "bad_ip": 1, "negative_tokens": 1, "bad_integer": 1,
        "conflicting_duplicate": 1, "card_number": 1, "missing_required": 1, "malformed_row": 1,
    }
    assert rejects(db, "requests") == [
        (4, "bad_timestamp"), (5, "bad_ip"), (6, "negative_tokens"), (7, "bad_integer"),
        (9, "conflicting_duplicate"), (10, "card_number"), (11, "missing_required"), (12, "malformed_row"),
    ]
    rows = db.execute(
        "SELECT request_id, account_id, ts, ip, ip_version, ip_num, ip_prefix, prompt, prompt_tokens, source_row "
        "FROM requests ORDER BY request_id"
    ).fetchall()
    ten = dt.datetime(2026, 11, 23, 10, 0)
    assert rows == [
        ("r1", "a1", ten, "203.0.113.7", 4, ip4(203, 0, 113, 7), "203.0.113.0/24", "hello", 10, 1),
        ("r2", "a2", ten, "2001:db8::1:0:0:5", 6, (0x2001 << 112) | (0xDB8 << 96) | (1 << 48) | 5,
         "2001:db8::/64", "hi", 5, 2),
        ("r3", "a9", ten, "198.51.100.9", 4, ip4(198, 51, 100, 9), "198.51.100.0/24",
         "pay with [card ****1111] please", 1, 3),
    ]


def test_reject_details_name_the_column_and_the_earlier_row(db):
    run(db, FIX / "requests.csv")
    details = dict(db.execute("SELECT source_row, detail FROM rejects").fetchall())
    assert details[4] == "ts: yesterday"
    assert details[5] == "ip: 203.0.113.300"
    assert details[6] == "prompt_tokens: -3"
    assert details[9] == '{"request_id":"r1"} is already at row 1 of this file with other values'
    assert details[10] == "account_id"
    assert details[11] == "ip"
    raw = json.loads(db.execute("SELECT raw FROM rejects WHERE source_row = 12").fetchone()[0])
    assert raw == {"record": "r10,a1,2026-11-23T10:00:00Z"}


def test_accounts_rules_and_normalising(db):
    # 1 a1 ok; 2 a2 ok (whole e-mail address); 3 a3 ok (epoch seconds); 4 bad
    # created_at; 5 no account_id; 6 a1 again, same; 7 a2 again, other values
    f = run(db, FIX / "accounts.csv").files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_rejected, f.rows_duplicate) == (7, 3, 3, 1)
    assert rejects(db, "accounts") == [(4, "bad_timestamp"), (5, "missing_required"), (7, "conflicting_duplicate")]
    rows = db.execute("SELECT account_id, created_at, email_domain, extra FROM accounts ORDER BY 1").fetchall()
    # 1793000000 s = 2026-01-01 (1767225600) + 298 days + 7:33:20
    assert [r[:3] for r in rows] == [
        ("a1", dt.datetime(2026, 11, 1, 9, 0), "example.com"),
        ("a2", dt.datetime(2026, 11, 2, 10, 30), "corp.example"),
        ("a3", dt.datetime(2026, 10, 26, 7, 33, 20), None),
    ]
    assert json.loads(rows[0][3]) == {"signup_channel": "web"}
    assert f.extra_columns == ["signup_channel"]


def test_payment_methods_rules(db):
    # 1, 2 ok (one fingerprint, two accounts); 3 ok, card_bin is a whole card
    # number: keeps its first six digits; 4 no fingerprint; 5 a card number as
    # fingerprint; 6 row 1 again
    f = run(db, FIX / "payment_methods.csv").files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_rejected, f.rows_duplicate, f.rows_masked) == (6, 3, 2, 1, 1)
    assert rejects(db, "payment_methods") == [(4, "missing_required"), (5, "card_number")]
    assert db.execute("SELECT account_id, payment_fingerprint, card_bin FROM payment_methods ORDER BY 1").fetchall() == [
        ("a1", "fp1", "424242"), ("a2", "fp1", "424242"), ("a3", "fp2", "411111"),
    ]


def test_ip_intel_rules_and_networks(db):
    # 1 ok (AS prefix); 2 ok (upper case IPv6); 3 ok (host bits cleared); 4 bad
    # network; 5 negative asn; 6 row 1 again once host bits are cleared
    f = run(db, FIX / "ip_intel.csv").files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_rejected, f.rows_duplicate) == (6, 3, 2, 1)
    assert rejects(db, "ip_intel") == [(4, "bad_cidr"), (5, "bad_integer")]
    rows = db.execute("SELECT cidr, ip_version, net_lo, net_hi, asn FROM ip_intel ORDER BY source_row").fetchall()
    assert rows == [
        ("203.0.113.0/24", 4, ip4(203, 0, 113, 0), ip4(203, 0, 113, 255), 64500),
        ("2001:db8::/32", 6, 0x20010DB8 << 96, (0x20010DB8 << 96) | ((1 << 96) - 1), 64501),
        ("198.51.100.0/24", 4, ip4(198, 51, 100, 0), ip4(198, 51, 100, 255), 64502),
    ]


def test_labels_one_verdict_per_account_and_source(db):
    # 1-3 ok (a1 labelled by two sources); 4 no label; 5 a2 relabelled by the same source
    f = run(db, FIX / "labels.csv").files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_rejected, f.rows_duplicate) == (5, 3, 2, 0)
    assert rejects(db, "labels") == [(4, "missing_required"), (5, "conflicting_duplicate")]


def test_jsonl_records(db):
    # 1 ok (nested value -> extra); 2 ok (epoch seconds, number as text);
    # 3 not JSON; 4 an array; 5 negative tokens
    f = run(db, FIX / "requests.jsonl").files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_rejected, f.rows_duplicate) == (5, 2, 3, 0)
    assert rejects(db, "requests") == [(3, "malformed_row"), (4, "malformed_row"), (5, "negative_tokens")]
    extra, ts = db.execute("SELECT extra, ts FROM requests WHERE request_id = 'r1'").fetchone()
    assert json.loads(extra) == {"client": '{"sdk":"py"}'}
    assert db.execute("SELECT ts FROM requests WHERE request_id = 'r2'").fetchone()[0] == dt.datetime(2026, 11, 23, 10)


def test_csv_row_numbers_count_multiline_and_broken_rows(db, tmp_path):
    path = tmp_path / "requests.csv"
    path.write_text(
        "request_id,account_id,ts,ip,prompt\n"
        "q1,a1,2026-11-23T10:00:00Z,10.0.0.1,one line\n"          # row 1
        'q2,a1,2026-11-23T10:00:00Z,10.0.0.1,"two\nlines"\n'     # row 2 (two physical lines)
        "q3,a1,2026-11-23T10:00:00Z,10.0.0.1,x,surplus\n"         # row 3 broken
        "q4,a1,2026-11-23T10:00:00Z,10.0.0.1,ok\n"                # row 4
        "q5,a1,never,10.0.0.1,bad ts\n"                           # row 5
    )
    f = run(db, path).files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_rejected) == (5, 3, 2)
    assert rejects(db, "requests") == [(3, "malformed_row"), (5, "bad_timestamp")]
    assert db.execute("SELECT request_id, source_row FROM requests ORDER BY 2").fetchall() == [
        ("q1", 1), ("q2", 2), ("q4", 4),
    ]
    assert db.execute("SELECT prompt FROM requests WHERE request_id = 'q2'").fetchone()[0] == "two\nlines"


# -- card-like numbers -----------------------------------------------------


def test_card_numbers_are_stored_nowhere(db, tmp_path, caplog):
    weird = tmp_path / "accounts.csv"
    weird.write_text(
        "account_id,created_at,note 4111111111111111\n"
        "b1,2026-11-01T00:00:00Z,call me 5555-5555-5555-4444\n"
        "b2,4012888888881881,x\n"
    )
    caplog.set_level("DEBUG")
    result = run(db, *(FIX / n for n in ("accounts.csv", "requests.csv", "payment_methods.csv", "labels.csv")), weird)
    dump = [json.dumps(result.to_dict(), default=str), caplog.text]
    for table in ("accounts", "payment_methods", "requests", "ip_intel", "labels", "rejects", "ingest_log"):
        dump.append(str(db.execute(f"SELECT * FROM {table}").fetchall()))
    text = "\n".join(dump)
    for card in CARDS + ["5555-5555-5555-4444"]:
        assert card not in text
    assert "[card ****1111]" in text                                   # the prompt, masked
    extra = db.execute("SELECT extra FROM accounts WHERE account_id = 'b1'").fetchone()[0]
    assert json.loads(extra) == {"note [card ****1111]": "call me [card ****4444]"}
    # a card number where a timestamp belongs is not a timestamp (year 2097 is
    # fine, this one is 127 thousand years out) and is masked in the reject
    assert db.execute("SELECT reason, raw->>'created_at' FROM rejects WHERE source_file = $f",
                      {"f": str(weird)}).fetchall() == [("bad_timestamp", "[card ****1881]")]


def test_error_messages_mask_card_numbers(db, tmp_path):
    path = tmp_path / "requests.csv"
    path.write_text("request_id,4111111111111111\nr1,x\n")
    with pytest.raises(InputError) as err:
        run(db, path)
    assert "4111111111111111" not in str(err.value)
    assert "[card ****1111]" in str(err.value)


# -- whole-file errors ---------------------------------------------------------


def test_missing_file(db, tmp_path):
    with pytest.raises(InputError, match="no such file"):
        run(db, tmp_path / "nowhere" / "requests.csv")


def test_missing_required_column_names_file_column_and_found_columns(db):
    with pytest.raises(InputError) as err:
        run(db, FIX / "requests.csv", FIX / "sessions.csv", table="requests")
    message = str(err.value)
    assert "sessions.csv" in message
    assert "missing required column(s) ip for table requests" in message
    assert "columns found: request_id, account_id, ts" in message
    # every file's columns are checked first: nothing at all was stored
    assert db.count("requests") == db.count("rejects") == db.count("ingest_log") == 0


@pytest.mark.parametrize("name,content,fmt", [
    ("requests.csv.gz", b"this is not gzip", "CSV"),
    ("requests.parquet", b"PAR1 nope", "Parquet"),
    ("requests.jsonl.gz", b"\x1f\x8b broken gzip", "JSON Lines"),
])
def test_unreadable_file(db, tmp_path, name, content, fmt):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=f"cannot read .*{name} as {fmt}"):
        run(db, path)
    assert db.count("requests") == db.count("ingest_log") == db.count("rejects") == 0


def test_empty_file(db, tmp_path):
    (tmp_path / "accounts.csv").write_text("")
    with pytest.raises(InputError, match="empty"):
        run(db, tmp_path / "accounts.csv")


def test_unknown_table_name(db, tmp_path):
    with pytest.raises(InputError, match="cannot tell which table"):
        run(db, FIX / "sessions.csv")
    with pytest.raises(InputError, match="unknown table 'sessions'"):
        run(db, FIX / "sessions.csv", table="sessions")


def test_folder_reads_table_subfolders_and_leaves_others_out(db, tmp_path):
    """A world folder: its tables load, its requests/ folder loads, its truth/ folder does not."""
    world = tmp_path / "world"
    (world / "requests").mkdir(parents=True)
    (world / "truth").mkdir()
    (world / "accounts.csv").write_text("account_id,created_at\na1,2026-01-01\na2,2026-01-02\n")
    (world / "requests" / "week-1.csv").write_text(
        "request_id,account_id,ts,ip\nr1,a1,2026-01-05T10:00:00Z,192.0.2.1\n")
    (world / "truth" / "labels.csv").write_text("account_id,label\na1,distillation\n")
    result = run(db, world)
    assert sorted((f.table, f.rows_loaded) for f in result.files) == [("accounts", 2), ("requests", 1)]
    assert db.count("labels") == 0
    assert any("truth" in note and "left out" in note for note in result.notes)
    # named directly, the sub-folder loads
    run(db, world / "truth")
    assert db.count("labels") == 1


# -- loading again, in any order, from many files --------------------------------


def test_reingesting_the_same_file_adds_nothing(db, tmp_path):
    first = run(db, FIX / "requests.csv")
    counts = {t: db.count(t) for t in ("requests", "rejects", "ingest_log")}
    copy = tmp_path / "requests-copy.csv"
    shutil.copy(FIX / "requests.csv", copy)
    again = run(db, FIX / "requests.csv", copy)
    assert [f.status for f in again.files] == ["skipped", "skipped"]
    assert again.rows_read == again.rows_loaded == 0
    assert "same content already ingested from" in again.files[1].note
    assert {t: db.count(t) for t in counts} == counts == {"requests": 3, "rejects": 8, "ingest_log": 1}
    assert first.files[0].ingest_id == 1


def test_rows_already_stored_from_another_file(db, tmp_path):
    run(db, FIX / "requests.csv")
    later = tmp_path / "requests-later.csv"
    later.write_text(
        "request_id,account_id,ts,ip,device_fingerprint,user_agent,api_key_id,model,prompt,prompt_template_id,prompt_tokens,completion_tokens\n"
        "r1,a1,1795428000,203.0.113.7,d1,ua/1.0,k1,m1,hello,,10,20\n"      # same as stored r1 (ts as epoch)
        "r2,a2,2026-11-23T10:00:00Z,2001:db8::1:0:0:5,d2,ua/1.0,k2,m1,hi,,5,7\n"  # r2 with other tokens
        "r11,a1,2026-11-23T10:00:00Z,203.0.113.7,,,,,,,,\n"               # new
    )
    f = run(db, later).files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_rejected, f.rows_duplicate) == (3, 1, 1, 1)
    detail = db.execute("SELECT detail FROM rejects WHERE source_file = $f", {"f": str(later)}).fetchone()[0]
    assert detail == f'{{"request_id":"r2"}} is already stored ({FIX / "requests.csv"} row 2) with other values'



def test_parquet_files_of_one_table_load_together_and_keep_their_own_rows(db, tmp_path):
    def part(name, rows, **types):
        cols = ("request_id", "account_id", "ts", "ip")
        schema = pa.schema([(c, types.get(c, pa.string())) for c in cols])
        pq.write_table(pa.table(dict(zip(cols, map(list, zip(*rows)))), schema=schema), tmp_path / name)
        return str(tmp_path / name)

    ts = "2026-11-23T10:00:00Z"
    a = part("requests-a.parquet", [("r1", "a1", ts, "10.0.0.1"), ("r2", "a1", ts, "10.0.0.2")])
    b = part("requests-b.parquet", [("r3", "a2", ts, "10.0.0.3"),
                                    ("r1", "a1", ts, "10.0.0.1"),      # r1 of a again: a duplicate
                                    ("r2", "a2", ts, "10.0.0.2"),      # r2 of a with another account
                                    ("r4", "a2", ts, "10.0.0.999")])   # a bad address
    c = part("requests-c.parquet", [("r5", "a3", 1795431600, "10.0.0.5")], ts=pa.int64())   # another schema
    steps = []
    result = ingest(db, Config(), [a, b, c], progress=lambda step, done, total: steps.append(step))
    # a and b (same columns and types) are read together, c alone
    assert "requests-a.parquet and 1 more: reading" in steps and "requests-c.parquet: reading" in steps
    assert [(f.rows_read, f.rows_loaded, f.rows_rejected, f.rows_duplicate) for f in result.files] == [
        (2, 2, 0, 0), (4, 1, 2, 1), (1, 1, 0, 0)]
    assert [f.ingest_id for f in result.files] == [1, 2, 3]
    assert result.files[1].rejected_by_reason == {"bad_ip": 1, "conflicting_duplicate": 1}
    assert db.execute("SELECT request_id, source_file, source_row FROM requests ORDER BY ALL").fetchall() == [
        ("r1", a, 1), ("r2", a, 2), ("r3", b, 1), ("r5", c, 1)]
    assert db.execute("SELECT source_file, source_row, reason, detail, ingest_id FROM rejects "
                      "ORDER BY source_row").fetchall() == [
        (b, 3, "conflicting_duplicate", f'{{"request_id":"r2"}} is already stored ({a} row 2) with other values', 2),
        (b, 4, "bad_ip", "ip: 10.0.0.999", 2)]
    assert db.execute("SELECT source_file, rows_read, rows_loaded FROM ingest_log ORDER BY ingest_id").fetchall() == [
        (a, 2, 2), (b, 4, 1), (c, 1, 1)]



def test_a_parquet_name_that_reads_as_a_pattern_is_an_error_naming_it(db, tmp_path):
    for name, rid in (("requests-[1].parquet", "r1"), ("requests-1.parquet", "r2")):
        pq.write_table(pa.table({"request_id": [rid], "account_id": ["a1"], "ts": ["2026-11-23T10:00:00Z"],
                                 "ip": ["10.0.0.1"]}), tmp_path / name)
    with pytest.raises(InputError, match=r"cannot read .*requests-\[1\]\.parquet as Parquet: its name is read as a file pattern"):
        ingest(db, Config(), [str(tmp_path / "requests-[1].parquet")])
    assert db.count("requests") == 0


def _contents(db):
    out = {}
    for table in ("accounts", "payment_methods", "requests", "ip_intel", "labels"):
        out[table] = sorted(map(repr, db.execute(f"SELECT * EXCLUDE (source_file) FROM {table}").fetchall()))
    out["rejects"] = sorted(map(repr, db.execute("SELECT * EXCLUDE (ingest_id) FROM rejects").fetchall()))
    out["universe"] = sorted(db.execute("SELECT account_id, known FROM account_universe").fetchall())
    return out


def test_tables_may_arrive_in_any_order(tmp_path):
    names = ["accounts.csv", "payment_methods.csv", "requests.csv", "ip_intel.csv", "labels.csv"]
    seen = []
    for order in (names, names[::-1]):
        with Database(tmp_path / f"{order[0]}.duckdb") as db:
            result = None
            for name in order:                       # one file per command, as users do
                result = run(db, FIX / name)
            assert result.unknown_accounts == 1      # a9: in requests only
            seen.append(_contents(db))
    assert seen[0] == seen[1]
    assert ("a9", False) in seen[0]["universe"]


def test_several_files_per_table_from_a_folder(db, tmp_path):
    week = tmp_path / "exports"
    (week / "requests").mkdir(parents=True)
    header = "request_id,account_id,ts,ip\n"
    (week / "requests-2026-11-16.csv").write_text(header + "w1,a1,2026-11-16T00:00:00Z,10.0.0.1\n")
    (week / "requests-2026-11-23.csv").write_text(header + "w2,a1,2026-11-23T00:00:00Z,10.0.0.2\n")
    (week / "requests" / "part-0001.csv").write_text(header + "w3,a2,2026-11-24T00:00:00Z,10.0.0.3\n")
    (week / "README.txt").write_text("not data")
    (week / "world.json").write_text("{}")
    result = run(db, week)
    assert [(Path(f.path).name, f.table, f.rows_loaded) for f in result.files] == [
        ("part-0001.csv", "requests", 1), ("requests-2026-11-16.csv", "requests", 1),
        ("requests-2026-11-23.csv", "requests", 1),
    ]
    assert any("README.txt" in n for n in result.notes)
    assert any("world.json: left out, its name says no table" in n for n in result.notes)
    assert db.execute("SELECT list(request_id ORDER BY request_id) FROM requests").fetchone()[0] == ["w1", "w2", "w3"]
    globbed = run(db, str(week / "requests-*.csv"))
    assert [f.status for f in globbed.files] == ["skipped", "skipped"]


# -- column mapping ----------------------------------------------------------------


def test_mapping_from_flags_and_config(db):
    # Request_ID matches request_id whatever its case; user and Time come from
    # --map, client_ip from the config file's [mapping]; Region is kept in extra
    config = Config()
    config.ingest.mapping = {"client_ip": "ip"}
    f = run(db, FIX / "requests_custom.csv", table="requests", config=config,
            mapping={"user": "account_id", "TIME": "ts"}).files[0]
    assert (f.rows_read, f.rows_loaded) == (2, 2)
    rows = db.execute("SELECT request_id, account_id, ts, ip, extra FROM requests ORDER BY 1").fetchall()
    assert rows[0][:4] == ("x1", "a1", dt.datetime(2026, 11, 23, 10), "203.0.113.7")
    assert json.loads(rows[1][4]) == {"Region": "us"}


def test_mapping_without_it_names_what_is_missing(db):
    with pytest.raises(InputError, match=r"missing required column\(s\) account_id, ts, ip .*Request_ID, user, Time, client_ip, Region"):
        run(db, FIX / "requests_custom.csv", table="requests")


def test_mapping_to_an_unknown_column_is_an_error(db):
    with pytest.raises(ConfigError, match="'client_address' is not a column of the data contract"):
        run(db, FIX / "requests_custom.csv", mapping={"client_ip": "client_address"})


def test_two_columns_for_one_contract_column(db, tmp_path):
    path = tmp_path / "requests.csv"
    path.write_text("request_id,account_id,ts,ip,client_ip\nr,a,2026-11-01,10.0.0.1,10.0.0.2\n")
    with pytest.raises(InputError, match="'ip' and 'client_ip' both give column ip"):
        run(db, path, mapping={"client_ip": "ip"})


# -- formats -----------------------------------------------------------------------

GOOD = [
    {"request_id": "f1", "account_id": "a1", "ts": "2026-11-23T10:00:00Z", "ip": "203.0.113.7", "prompt_tokens": 10},
    {"request_id": "f2", "account_id": "a2", "ts": "2026-11-23T11:30:00+01:00", "ip": "2001:db8::5", "prompt_tokens": 0},
    {"request_id": "f3", "account_id": "a2", "ts": "2026-11-23T12:00:00Z", "ip": "::ffff:10.1.2.3", "prompt_tokens": None},
]


def _write(tmp_path, fmt):
    if fmt in ("csv", "csv.gz"):
        text = "request_id,account_id,ts,ip,prompt_tokens\n" + "".join(
            f"{r['request_id']},{r['account_id']},{r['ts']},{r['ip']},{'' if r['prompt_tokens'] is None else r['prompt_tokens']}\n"
            for r in GOOD
        )
        data = text.encode()
    elif fmt in ("jsonl", "ndjson.gz"):
        data = "".join(json.dumps(r) + "\n" for r in GOOD).encode()
    else:  # parquet with native types: a timestamp column and an integer column
        table = pa.table({
            "request_id": [r["request_id"] for r in GOOD],
            "account_id": [r["account_id"] for r in GOOD],
            "ts": pa.array([dt.datetime.fromisoformat(r["ts"]).astimezone(dt.timezone.utc) for r in GOOD],
                           pa.timestamp("us", tz="UTC")),
            "ip": [r["ip"] for r in GOOD],
            "prompt_tokens": pa.array([r["prompt_tokens"] for r in GOOD], pa.int64()),
        })
        path = tmp_path / "requests.parquet"
        pq.write_table(table, path)
        return path
    path = tmp_path / f"requests.{fmt}"
    path.write_bytes(gzip.compress(data) if fmt.endswith(".gz") else data)
    return path


@pytest.mark.parametrize("fmt", ["csv", "csv.gz", "parquet", "jsonl", "ndjson.gz"])
def test_every_format_gives_the_same_rows(db, tmp_path, fmt):
    f = run(db, _write(tmp_path, fmt)).files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_rejected) == (3, 3, 0)
    assert db.execute(
        "SELECT request_id, ts, ip, ip_version, prompt_tokens, source_row FROM requests ORDER BY 1"
    ).fetchall() == [
        ("f1", dt.datetime(2026, 11, 23, 10, 0), "203.0.113.7", 4, 10, 1),
        ("f2", dt.datetime(2026, 11, 23, 10, 30), "2001:db8::5", 6, 0, 2),
        ("f3", dt.datetime(2026, 11, 23, 12, 0), "10.1.2.3", 4, None, 3),
    ]


def test_parquet_native_types_follow_the_same_rules(db, tmp_path):
    # Typed Parquet columns skip the parsing of text, but not the rules:
    # 1 ok; 2 ts before 1970; 3 prompt_tokens holding a card number (an
    # integer of 16 digits) is not stored as given; 4 negative tokens;
    # 5 r1 again with the same values, a duplicate; 6 r1 with other tokens.
    cols = {
        "request_id": ["r1", "r2", "r3", "r4", "r1", "r1"],
        "account_id": ["a1"] * 6,
        "ts": pa.array([dt.datetime(2026, 11, 23, 10), dt.datetime(1960, 1, 1)] + [dt.datetime(2026, 11, 23, 10)] * 4,
                       pa.timestamp("ms")),
        "ip": ["203.0.113.7"] * 6,
        "prompt_tokens": pa.array([10, 10, 4111111111111111, -2, 10, 11], pa.int64()),
        "completion_tokens": pa.array([5, 5, 5, 5, 5, 5], pa.int32()),
        "seen_at": pa.array([dt.datetime(2026, 11, 23, 9, 30)] * 6, pa.timestamp("us")),
    }
    path = tmp_path / "requests.parquet"
    pq.write_table(pa.table(cols), path)
    f = run(db, path).files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_rejected, f.rows_duplicate) == (6, 1, 4, 1)
    assert db.execute("SELECT source_row, reason, detail FROM rejects ORDER BY source_row").fetchall() == [
        (2, "bad_timestamp", "ts: 1960-01-01 00:00:00"),
        (3, "bad_integer", "prompt_tokens: [card ****1111]"),
        (4, "negative_tokens", "prompt_tokens: -2"),
        (6, "conflicting_duplicate", '{"request_id":"r1"} is already at row 1 of this file with other values'),
    ]
    assert "4111111111111111" not in str(db.execute("SELECT * FROM rejects").fetchall())
    assert db.execute("SELECT request_id, ts, prompt_tokens, completion_tokens, extra FROM requests").fetchall() == [
        ("r1", dt.datetime(2026, 11, 23, 10), 10, 5, '{"seen_at":"2026-11-23 09:30:00"}'),
    ]
    raw = json.loads(db.execute("SELECT raw FROM rejects WHERE source_row = 4").fetchone()[0])
    assert (raw["ts"], raw["prompt_tokens"], raw["seen_at"]) == ("2026-11-23 10:00:00", "-2", "2026-11-23 09:30:00")


def test_card_number_in_a_file_name(db, tmp_path):
    path = tmp_path / "accounts-4111111111111111.csv"
    path.write_text("account_id,created_at\nc1,2026-11-01T00:00:00Z\nc2,never\n")
    result = run(db, path)
    stored = db.execute("SELECT DISTINCT source_file FROM accounts UNION SELECT source_file FROM rejects "
                        "UNION SELECT source_file FROM ingest_log").fetchall()
    assert stored == [(str(tmp_path / "accounts-[card ****1111].csv"),)]
    assert "4111111111111111" not in json.dumps(result.to_dict())


def test_progress_is_reported_per_step_in_bytes(db):
    seen = []
    run(db, FIX / "accounts.csv", FIX / "labels.csv", progress=lambda step, done, total: seen.append((step, done, total)))
    total = (FIX / "accounts.csv").stat().st_size + (FIX / "labels.csv").stat().st_size
    assert {t for _, _, t in seen} == {total}
    assert [d for _, d, _ in seen] == sorted(d for _, d, _ in seen)       # never goes back
    assert seen[-1] == ("labels.csv: done", total, total)
    assert ("accounts.csv: storing", int(0.7 * (FIX / "accounts.csv").stat().st_size), total) in seen


def test_column_names_match_loosely(db, tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_bytes("\ufeffAccount ID,Created-At,E-Mail Domain\r\nb1,2026-11-01,X.org\r\n".encode())
    f = run(db, path).files[0]
    assert (f.rows_loaded, f.extra_columns) == (1, ["E-Mail Domain"])   # email_domain is not e_mail_domain
    assert db.execute("SELECT account_id, created_at FROM accounts").fetchall() == [("b1", dt.datetime(2026, 11, 1))]
