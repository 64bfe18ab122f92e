"""Quality and throughput of template mining (:func:`graphlink.templates.mine_templates`).

Quality: a corpus with known templates (:mod:`graphlink.templates.corpus`:
six campaign scaffolds around paragraph-long or code slots, two of them
paraphrased per request or edited per account, each slot text sent about
three times; two public templates used by hundreds of strangers; organic
prompts with common openers, closers, code lines and popular questions) is
mined and the assignment scored per request against the truth (B-cubed
precision and recall, coverage, organic prompts wrongly templated), with the
mined templates found for every true one.

Throughput: the same corpus at every size asked for, generated straight into
a DuckDB file a million rows at a time, mined once; prints wall time, CPU
time of the process (both DuckDB threads and Python: on a machine shared
with other work, CPU seconds are the steadier figure), prompts per second,
peak resident memory and the time of every step.

``--synth N`` also mines a synthetic world of about N requests from
:func:`graphlink.synth.generate` and scores the assignment against the
world's ground truth, ``truth/request_scaffolds`` (each request's true
template: one per scaffold family, every paraphrase of one frame included;
none for organic prompts), with the same B-cubed scorer: precision, recall,
coverage per kind of scaffold, the true templates split over several mined
ones and the mined templates that merge several true ones.  The truth is
loaded into the benchmark's database (``requests.extra.truth_template``)
only after mining.  ``--world DIR`` reuses (or writes once) the world there.

Usage::

    python benchmarks/bench_templates.py                         # 200k prompts, quality and timing
    python benchmarks/bench_templates.py --requests 1000000,10000000 --threads 2
    python benchmarks/bench_templates.py --requests 200000 --synth 1000000
    python benchmarks/bench_templates.py --requests 0 --synth 1000000 --world /tmp/world-1m
    python benchmarks/bench_templates.py --set templates.sample_prompts=100000   # any config value

Not run by the test suite.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path


from graphlink.config import Config
from graphlink.db import Database
from graphlink.templates import mine_templates
from graphlink.templates.corpus import insert_requests, scaffold_corpus, score_assignment
from peak_memory import PeakMemory  # benchmarks/ is on sys.path when run as a script

CHUNK = 1_000_000



def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def build(path: Path, n: int, seed: int) -> float:
    """Write an n-request corpus into a fresh database; return the seconds it took."""
    start = time.perf_counter()
    with Database(path) as db:
        for offset in range(0, n, CHUNK):
            insert_requests(db, scaffold_corpus(min(CHUNK, n - offset), seed=seed, offset=offset))
    return time.perf_counter() - start


def mine(path: Path, config: Config) -> dict:
    """Mine the database at *path*; wall, CPU and peak memory of the mining alone."""
    with Database.from_config(config.with_overrides({"database.path": str(path)})) as db:
        memory = PeakMemory()
        cpu0, wall0 = cpu_seconds(), time.perf_counter()
        result = mine_templates(db, config)
        wall, cpu = time.perf_counter() - wall0, cpu_seconds() - cpu0
        peak = memory.stop()
        text_mb = db.fetchone("SELECT sum(length(prompt)) / 1e6 FROM requests")[0]
        score = score_assignment(db) if db.fetchone("SELECT count(*) FROM requests WHERE extra->>'truth_template' IS NOT NULL")[0] else None
    return {"result": result, "wall": wall, "cpu": cpu, "peak": peak, "text_mb": text_mb, "score": score}


def print_run(n: int, run: dict) -> None:
    r = run["result"]
    print(f"\n== {n:,} prompts ({run['text_mb']:,.0f} MB of prompt text)")
    print(f"mining: {run['wall']:.1f} s wall, {run['cpu']:.1f} s CPU, {n / run['wall']:,.0f} prompts/s, "
          f"peak RSS {run['peak'] / 2**20:,.0f} MiB")
    print("steps (s): " + ", ".join(f"{k} {v:.1f}" for k, v in r.timings.items()))
    print(f"candidate segments {r.candidate_segments:,} in {r.segment_classes:,} classes, "
          f"signatures {r.signatures:,}, groups {r.groups:,}, templates {r.templates}, hubs {r.hubs}, "
          f"templated requests {r.templated_requests:,}")
    s = run["score"]
    if s is not None:
        print(f"assignment: precision {s.precision:.4f}, recall {s.recall:.4f}, F1 {s.f1:.4f}, "
              f"coverage {s.coverage:.4f}, organic templated {s.false_templated:.5f}; "
              f"{s.truth_templates} true templates, {s.mined_templates} mined")
        for truth, cells in s.per_truth.items():
            total = sum(cells.values())
            parts = ", ".join(f"{tid or 'none'} {k / total:.1%}" for tid, k in sorted(cells.items(), key=lambda kv: -kv[1]))
            print(f"  {truth:16s} {total:>9,}  -> {parts}")


_KIND = """CASE WHEN t.scaffold IS NULL THEN 'organic'
     WHEN t.scaffold LIKE 'camp-%' THEN split_part(t.scaffold, '-', 2)
     WHEN t.scaffold LIKE 'public/%' THEN split_part(split_part(t.scaffold, '/', 2), '-', 1)
     ELSE split_part(t.scaffold, '-', 1) END"""
"""Kind of a true template from its name: a campaign style, template / benchmark (public), ent, app."""


def world_folder(n: int, workdir: Path, world: Path | None) -> Path:
    """The world to mine: *world* when it already holds one, else a new one written there (or in *workdir*)."""
    from graphlink.synth import accounts_for_requests, generate

    out = world or workdir / "world"
    if (out / "truth" / "world.json").is_file():
        print(f"reusing the world in {out}", file=sys.stderr)
        return out
    made = generate(out, accounts=accounts_for_requests(n), days=28, seed=7, fmt="parquet")
    print(f"world of {made.rows['requests']:,} requests written in {made.seconds:.1f} s", file=sys.stderr)
    return out


def load_truth(db: Database, out: Path) -> int:
    """Put each request's true template into ``requests.extra.truth_template``, where the scorer reads it.

    The true templates are also kept in the temporary table ``truth_scaffolds``.
    """
    files = sorted(str(p) for p in (out / "truth" / "request_scaffolds").glob("request_scaffolds-*"))
    if not files:
        raise SystemExit(f"{out} has no truth/request_scaffolds: regenerate the world")
    reader = "read_parquet" if files[0].endswith(".parquet") else "read_csv" if files[0].endswith(".csv") else "read_json"
    db.execute(f"CREATE OR REPLACE TEMP TABLE truth_scaffolds AS SELECT request_id, scaffold FROM {reader}($files)",
               {"files": files})
    db.execute(
        "UPDATE requests SET extra = json_merge_patch(coalesce(requests.extra, '{}'::JSON), "
        "json_object('truth_template', t.scaffold)) FROM truth_scaffolds AS t "
        "WHERE t.request_id = requests.request_id AND t.scaffold IS NOT NULL"
    )
    missing = db.fetchone("SELECT count(*) FROM requests r ANTI JOIN truth_scaffolds t USING (request_id)")[0]
    if missing:
        raise SystemExit(f"{missing:,} requests have no row in truth/request_scaffolds")
    return len(files)


def print_truth_errors(db: Database, score, top: int = 8) -> None:
    """Per-kind coverage, the true templates most split, and the mined templates that merge true ones."""
    rows = db.execute(
        f"SELECT {_KIND} AS kind, count(*) AS n, count(DISTINCT t.scaffold) AS truths, count(rt.template_id) AS templated "
        "FROM truth_scaffolds t LEFT JOIN request_templates rt USING (request_id) GROUP BY ALL ORDER BY 1"
    ).fetchall()
    print("coverage by kind of true template (organic: share wrongly templated):")
    for kind, total, truths, templated in rows:
        print(f"  {kind:10s} {truths:>6,} true templates {total:>10,} requests  templated {templated / total:6.1%}")
    unmined = sorted((sum(c.values()), truth) for truth, c in score.per_truth.items() if list(c) == [None])
    print(f"true templates given no template at all: {len(unmined)} of {score.truth_templates} "
          f"({sum(n for n, _ in unmined):,} requests): {', '.join(t for _, t in unmined[-top:])}{' ...' if len(unmined) > top else ''}")
    split = sorted(((max(c.values()) / sum(c.values()), truth, c) for truth, c in score.per_truth.items()
                    if len(c) > 1), key=lambda x: (x[0], x[1]))
    print(f"true templates spread over more than one mined template (or partly none): {len(split)} of {score.truth_templates}")
    for share, truth, cells in split[:top]:
        total = sum(cells.values())
        parts = ", ".join(f"{tid or 'none'} {k / total:.0%}" for tid, k in sorted(cells.items(), key=lambda kv: -kv[1])[:4])
        print(f"  {truth:28s} {total:>8,} req -> {parts}{' ...' if len(cells) > 4 else ''}")
    merged = db.execute(
        "SELECT rt.template_id, count(*) AS n, count(DISTINCT t.scaffold) AS truths, "
        "count(*) FILTER (WHERE t.scaffold IS NULL) AS organic, "
        "list(DISTINCT t.scaffold ORDER BY t.scaffold)[1:4] AS some "
        "FROM request_templates rt JOIN truth_scaffolds t USING (request_id) GROUP BY ALL "
        "HAVING count(DISTINCT t.scaffold) > 1 OR count(*) FILTER (WHERE t.scaffold IS NULL) > 0 "
        "ORDER BY n DESC"
    ).fetchall()
    print(f"mined templates holding more than one true template or organic prompts: {len(merged)} of {score.mined_templates}")
    for tid, total, truths, organic, some in merged[:top]:
        print(f"  {tid} {total:>8,} req  {truths} true, {organic:,} organic: {', '.join(some)}{' ...' if truths > 4 else ''}")


def bench_synth(n: int, config: Config, workdir: Path, world: Path | None = None, reuse: bool = False) -> None:
    """Mine a synth world and score the assignment against its ground truth.

    With *reuse*, a database already ingested in *workdir* is mined again.
    """
    from graphlink.ingest import ingest

    out = world_folder(n, workdir, world)
    path = workdir / "world.duckdb"
    if reuse and path.exists():
        print(f"reusing the ingested world in {path}", file=sys.stderr)
    else:
        path.unlink(missing_ok=True)
        began = time.perf_counter()
        with Database(path) as db:
            tables = [p for p in sorted(out.iterdir()) if p.is_file() and p.stem in ("accounts", "payment_methods", "ip_intel")]
            ingest(db, config, [str(p) for p in tables] + [str(out / "requests")])
            ingest(db, config, sorted(str(p) for p in (out / "truth").glob("labels.*")))
        print(f"ingested in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    run = mine(path, config)  # the truth is not in the database yet: nothing to score
    with Database(path) as db:
        load_truth(db, out)
        run["score"] = score_assignment(db)
        print_run(n, {**run, "score": None})
        s = run["score"]
        print(f"assignment against the world's truth: precision {s.precision:.4f}, recall {s.recall:.4f}, "
              f"F1 {s.f1:.4f}, coverage {s.coverage:.4f}, organic templated {s.false_templated:.5f}; "
              f"{s.truth_templates:,} true templates, {s.mined_templates:,} mined "
              f"({s.templated_requests:,} templated and {s.organic_requests:,} organic requests)")
        print_truth_errors(db, s)
        # The same scorer with owners dropped from the names: one true template per frame of the
        # specification, whoever rendered it (two campaigns drawing one frame are then one template).
        db.execute("UPDATE requests SET extra = json_merge_patch(extra, json_object('truth_template', "
                   "regexp_replace(extra->>'truth_template', '-[0-9]+/', '/'))) "
                   "WHERE extra->>'truth_template' IS NOT NULL")
        f = score_assignment(db)
        print(f"the same, one true template per frame whoever used it: precision {f.precision:.4f}, "
              f"recall {f.recall:.4f}, F1 {f.f1:.4f}; {f.truth_templates:,} true templates")
        rows = db.execute(
            "SELECT coalesce(l.label, 'unlabelled') AS label, count(*) AS n, count(rt.template_id) AS templated "
            "FROM requests r LEFT JOIN labels l USING (account_id) "
            "LEFT JOIN request_templates rt USING (request_id) GROUP BY ALL ORDER BY 1"
        ).fetchall()
        for label, total, templated in rows:
            print(f"  {label:14s} requests {total:>10,}  templated {templated / total:.1%}")
        for tid, req, acc, hub, skel in db.execute(
            "SELECT template_id, n_requests, n_accounts, is_hub, skeleton FROM templates ORDER BY n_requests DESC LIMIT 15"
        ).fetchall():
            first = (skel or "").replace("\n", " / ")[:90]
            print(f"  {tid} {req:>9,} req {acc:>7,} acc{' hub' if hub else '    '}  {first}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", default="200000", help="comma-separated corpus sizes, 0 for none [200000]")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads [all cores]")
    parser.add_argument("--memory-limit", default=None, help="DuckDB memory limit, e.g. 8GB")
    parser.add_argument("--synth", type=int, default=0, help="also mine a synth world of about this many requests")
    parser.add_argument("--world", type=Path, default=None,
                        help="with --synth: the world folder to reuse, or to write once and keep")
    parser.add_argument("--keep", type=Path, default=None, help="keep the databases in this folder")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: mine a corpus (or ingested synth world) already there instead of writing it again")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a config override, e.g. templates.sample_prompts=100000 (repeatable; VALUE is JSON or text)")
    args = parser.parse_args(argv)
    overrides = {"database.threads": args.threads, "database.memory_limit": args.memory_limit}
    for item in args.set:
        key, _, value = item.partition("=")
        try:
            overrides[key] = json.loads(value)
        except json.JSONDecodeError:
            overrides[key] = value
    config = Config().with_overrides(overrides)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="bench-templates-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        for n in (int(x) for x in args.requests.split(",") if x and int(x) > 0):
            path = workdir / f"corpus-{n}-seed{args.seed}.duckdb"
            if not (args.reuse and path.exists()):
                path.unlink(missing_ok=True)
                built = build(path, n, args.seed)
                print(f"corpus of {n:,} prompts written in {built:.1f} s", file=sys.stderr)
            print_run(n, mine(path, config))
        if args.synth:
            bench_synth(args.synth, config, workdir, args.world, reuse=args.reuse)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
