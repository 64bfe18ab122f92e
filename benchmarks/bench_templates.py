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
:func:`graphlink.synth.generate` (its prompts carry no per-request template
truth, so it prints what was found: templates, templated share of campaign
and benign accounts' requests, the top skeletons).

Usage::

    python benchmarks/bench_templates.py                         # 200k prompts, quality and timing
    python benchmarks/bench_templates.py --requests 1000000,10000000 --threads 2
    python benchmarks/bench_templates.py --requests 200000 --synth 1000000

Not run by the test suite.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from graphlink.config import Config
from graphlink.db import Database
from graphlink.templates import mine_templates
from graphlink.templates.corpus import insert_requests, scaffold_corpus, score_assignment

CHUNK = 1_000_000


class PeakMemory:
    """Samples this process's RSS every 20 ms; ``peak`` is the largest seen."""

    def __init__(self) -> None:
        self._proc = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._proc.memory_info().rss)
            time.sleep(0.02)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


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


def bench_synth(n: int, config: Config, workdir: Path) -> None:
    """Mine a synth world and print what it found (the world has no per-request template truth)."""
    from graphlink.ingest import ingest
    from graphlink.synth import accounts_for_requests, generate

    out = workdir / "world"
    generate(out, accounts=accounts_for_requests(n), days=28, seed=7, fmt="parquet")
    path = workdir / "world.duckdb"
    with Database(path) as db:
        ingest(db, config, sorted(str(p) for p in out.glob("*.parquet")) + [str(out / "requests")])
        ingest(db, config, sorted(str(p) for p in (out / "truth").glob("labels.*")))
    run = mine(path, config)
    print_run(n, run)
    with Database(path) as db:
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
    parser.add_argument("--requests", default="200000", help="comma-separated corpus sizes [200000]")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads [all cores]")
    parser.add_argument("--memory-limit", default=None, help="DuckDB memory limit, e.g. 8GB")
    parser.add_argument("--synth", type=int, default=0, help="also mine a synth world of about this many requests")
    parser.add_argument("--keep", type=Path, default=None, help="keep the databases in this folder")
    parser.add_argument("--reuse", action="store_true", help="with --keep: mine a corpus already there instead of writing it again")
    args = parser.parse_args(argv)
    overrides = {"database.threads": args.threads, "database.memory_limit": args.memory_limit}
    config = Config().with_overrides(overrides)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="bench-templates-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        for n in (int(x) for x in args.requests.split(",") if x):
            path = workdir / f"corpus-{n}-seed{args.seed}.duckdb"
            if not (args.reuse and path.exists()):
                path.unlink(missing_ok=True)
                built = build(path, n, args.seed)
                print(f"corpus of {n:,} prompts written in {built:.1f} s", file=sys.stderr)
            print_run(n, mine(path, config))
        if args.synth:
            bench_synth(args.synth, config, workdir)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
