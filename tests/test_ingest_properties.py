"""Properties of ingest on generated files: every row is accounted for, each
row's fate follows the data contract, and loading the same rows again adds nothing.

Rows are drawn from labelled choices (a valid or a broken timestamp, IP,
token count), so each row's expected fate follows from its labels alone:
the first rule broken rejects it; else the first row of its request_id
loads, a later row with the same values is a duplicate and one with other
values a conflicting duplicate.
"""

from __future__ import annotations

import csv

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphlink.config import Config
from graphlink.db import Database
from graphlink.ingest import ingest

# (text as written, rule it breaks or None); valid choices are all distinct values
TS = [("2026-11-23T10:00:00Z", None), ("1795431600", None), ("2026-11-23T14:00:00+02:00", None),
      ("23/11/2026", "bad_timestamp"), ("", "missing_required")]
IP = [("203.0.113.7", None), ("2001:DB8::1", None), ("::ffff:198.51.100.1", None),
      ("203.0.113.256", "bad_ip"), ("", "missing_required")]
TOKENS = [("10", None), ("0", None), ("", None), ("-1", "negative_tokens"), ("1.5", "bad_integer")]
ORDER = ["missing_required", "bad_timestamp", "bad_ip", "bad_integer", "negative_tokens"]

row = st.tuples(st.sampled_from(["q1", "q2", "q3"]), st.integers(0, 4), st.integers(0, 4), st.integers(0, 4))


def write(path, rows, quoting=csv.QUOTE_MINIMAL):
    with open(path, "w", newline="") as fh:
        out = csv.writer(fh, quoting=quoting)
        out.writerow(["request_id", "account_id", "ts", "ip", "prompt_tokens"])
        for rid, t, i, k in rows:
            out.writerow([rid, "a1", TS[t][0], IP[i][0], TOKENS[k][0]])


def expected(rows):
    fates, first = [], {}
    for rid, t, i, k in rows:
        broken = [r for r in (TS[t][1], IP[i][1], TOKENS[k][1]) if r]
        if broken:
            fates.append(min(broken, key=ORDER.index))
        elif rid not in first:
            first[rid] = (t, i, k)
            fates.append("load")
        else:
            fates.append("duplicate" if first[rid] == (t, i, k) else "conflicting_duplicate")
    return fates


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(row, min_size=1, max_size=12))
def test_fates_follow_the_rules_and_reloading_adds_nothing(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("prop")
    path = folder / "requests.csv"
    write(path, rows)
    fates = expected(rows)
    with Database(":memory:") as db:
        f = ingest(db, Config(), [str(path)]).files[0]
        assert f.rows_read == len(rows)
        assert f.rows_loaded + f.rows_rejected + f.rows_duplicate == f.rows_read
        assert f.rows_loaded == fates.count("load") == db.count("requests")
        assert f.rows_duplicate == fates.count("duplicate")
        got = dict(db.execute("SELECT source_row, reason FROM rejects").fetchall())
        assert got == {n: fate for n, fate in enumerate(fates, 1) if fate not in ("load", "duplicate")}
        # the same rows under another name: every valid row is now a duplicate or a conflict
        again = folder / "requests-again.csv"
        write(again, rows, quoting=csv.QUOTE_ALL)
        g = ingest(db, Config(), [str(again)]).files[0]
        assert g.rows_loaded == 0 and db.count("requests") == f.rows_loaded
        assert g.rows_loaded + g.rows_rejected + g.rows_duplicate == g.rows_read == len(rows)


def write_parquet(path, rows, part):
    """*rows* as Parquet, every column text; *part* goes into the file's metadata, so files of the same rows differ."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = {"request_id": [r[0] for r in rows], "account_id": ["a1"] * len(rows),
            "ts": [TS[r[1]][0] for r in rows], "ip": [IP[r[2]][0] for r in rows],
            "prompt_tokens": [TOKENS[r[3]][0] for r in rows]}
    schema = pa.schema([(c, pa.string()) for c in cols], metadata={"part": str(part)})
    pq.write_table(pa.table(cols, schema=schema), path)


def outcome(db):
    """Everything an ingest leaves that does not depend on when it ran."""
    return (
        db.execute("SELECT request_id, source_file, source_row FROM requests ORDER BY ALL").fetchall(),
        db.execute("SELECT source_file, source_row, reason, detail FROM rejects ORDER BY ALL").fetchall(),
        db.execute("SELECT source_file, rows_read, rows_loaded, rows_rejected, rows_duplicate "
                   "FROM ingest_log ORDER BY ALL").fetchall(),
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(row, min_size=0, max_size=8), min_size=2, max_size=3))
def test_parquet_files_read_together_fare_as_one_after_the_other(tmp_path_factory, parts):
    folder = tmp_path_factory.mktemp("together")
    paths = []
    for n, part in enumerate(parts):
        paths.append(str(folder / f"requests-{n}.parquet"))
        write_parquet(paths[-1], part, n)
    # the fates over all rows in file order, told back to each file's own row numbers
    fates = expected([r for part in parts for r in part])
    where = [(p, n) for p, part in zip(paths, parts) for n in range(1, len(part) + 1)]
    with Database(":memory:") as together, Database(":memory:") as apart:
        res = ingest(together, Config(), paths)
        for p in paths:
            ingest(apart, Config(), [p])
        assert outcome(together) == outcome(apart)
        assert [f.rows_read for f in res.files] == [len(part) for part in parts]
        assert sorted(together.execute("SELECT source_file, source_row, reason FROM rejects").fetchall()) == sorted(
            (p, n, fate) for (p, n), fate in zip(where, fates) if fate not in ("load", "duplicate"))
        assert sorted(together.execute("SELECT source_file, source_row FROM requests").fetchall()) == sorted(
            w for w, fate in zip(where, fates) if fate == "load")
        # each file's rejects carry that file's ingest id
        assert together.execute(
            "SELECT count(*) FROM rejects AS r JOIN ingest_log AS l ON l.ingest_id = r.ingest_id "
            "AND l.source_file <> r.source_file").fetchone()[0] == 0
