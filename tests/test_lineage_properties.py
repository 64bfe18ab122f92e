"""Lineage on random pairs of weeks: the SQL links agree with a direct computation, and the
statuses and lineage ids keep their invariants."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphlink.config import Config
from graphlink.db import Database
from graphlink.report.lineage import _compute
from graphlink.report.weeks import IsoWeek
from report_fixtures import Cluster, World

ACCOUNTS = [f"a{i:02d}" for i in range(24)]
IDENTIFIERS = [("payment", f"p{i}") for i in range(6)] + [("device", f"d{i}") for i in range(6)]
W45, W46 = IsoWeek(2026, 45), IsoWeek(2026, 46)


@st.composite
def weeks(draw):
    """Two weeks of clusters: a random partition of a random subset of ACCOUNTS each, with identifiers."""
    out = []
    for _ in range(2):
        labels = draw(st.lists(st.integers(-1, 5), min_size=len(ACCOUNTS), max_size=len(ACCOUNTS)))
        groups: dict[int, list[str]] = {}
        for account, label in zip(ACCOUNTS, labels):
            if label >= 0:
                groups.setdefault(label, []).append(account)
        clusters = {}
        for members in groups.values():
            if len(members) >= 2:
                idents = draw(st.sets(st.sampled_from(IDENTIFIERS), min_size=1, max_size=3))
                clusters["C-" + min(members)] = Cluster(sorted(members), sorted(idents))
        out.append(clusters)
    return out


def expected_links(cur: dict[str, Cluster], prev: dict[str, Cluster], rc) -> set[tuple[str, str]]:
    """The link rule of lineage/lineage_links, computed pair by pair on Python sets."""
    found = set()
    for c, cc in cur.items():
        for p, pc in prev.items():
            linked = False
            for a, b in ((set(cc.members), set(pc.members)), (set(cc.identifiers), set(pc.identifiers))):
                shared = len(a & b)
                if shared and (shared / len(a | b) >= rc.link_jaccard
                               or (shared >= rc.link_min_shared and shared / min(len(a), len(b)) >= rc.link_containment)):
                    linked = True
            if linked:
                found.add((c, p))
    return found


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    with Database(tmp_path_factory.mktemp("lineage-prop") / "prop.duckdb") as database:
        yield database


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pair=weeks())
def test_links_and_invariants(db, pair):
    prev, cur = pair
    config = Config()
    world = World(db)
    prev_run = world.run("2026-W45", prev, with_requests=False)
    cur_run = world.run("2026-W46", cur, with_requests=False)
    _compute(db, config, prev_run, W45, None, None)
    _compute(db, config, cur_run, W46, prev_run, W45)

    links = set(db.execute("SELECT cluster_id, prev_cluster_id FROM lineage_links WHERE run_id = $r",
                           {"r": cur_run}).fetchall())
    assert links == expected_links(cur, prev, config.report)

    rows = db.execute("SELECT cluster_id, lineage_id, status, prev_cluster_ids, prev_lineage_ids "
                      "FROM run_lineage WHERE run_id = $r", {"r": cur_run}).fetchall()
    current = [r for r in rows if r[0] is not None]
    gone = [r for r in rows if r[0] is None]
    # one row per current cluster, unique lineage ids
    assert sorted(r[0] for r in current) == sorted(cur)
    assert len({r[1] for r in current}) == len(current)
    prev_lineage = dict(db.execute("SELECT cluster_id, lineage_id FROM run_lineage WHERE run_id = $r",
                                   {"r": prev_run}).fetchall())
    assert all(status == "new" for status in
               (s for (s,) in db.execute("SELECT status FROM run_lineage WHERE run_id = $r", {"r": prev_run}).fetchall()))
    for cid, lineage_id, status, prev_ids, prev_lineages in current:
        preds = {p for c, p in links if c == cid}
        assert set(prev_ids) == preds
        assert prev_lineages == [prev_lineage[p] for p in prev_ids]
        assert (status == "new") == (not preds)
        assert (status == "merged") == (len(preds) >= 2)
        if status == "split":
            assert len({c for c, p in links if p == prev_ids[0]}) >= 2
        if status == "replaced":
            assert not set(cur[cid].members) & set(prev[prev_ids[0]].members)
        # an inherited lineage id comes from a predecessor; a fresh one names this week and cluster
        assert lineage_id in prev_lineages or lineage_id == f"L-2026W46-{cid}"
        same = [p for p, pc in prev.items() if pc.members == cur[cid].members]
        if same and cur[cid].identifiers == prev[same[0]].identifiers:
            assert lineage_id == prev_lineage[same[0]]
    # every earlier cluster is continued or gone, never both
    continued = {p for _, p in links}
    assert sorted(r[3][0] for r in gone) == sorted(set(prev) - continued)
    assert all(r[2] == "gone" and r[1] == prev_lineage[r[3][0]] for r in gone)
