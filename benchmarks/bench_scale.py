"""Stage timings of the whole pipeline on a synthetic world of N requests.

Generates (or reuses) a world of about N requests with
:func:`graphlink.synth.generate` (28 days, about 12 requests per account,
prompts included) and runs every stage against one DuckDB file, each stage
in a fresh process so that its peak resident memory (``ru_maxrss``, DuckDB's
buffers included) is its own:

=============  ============================================================
ingest         :func:`graphlink.ingest.ingest` of the world's files
templates      :func:`graphlink.templates.mine_templates`
detect         :func:`graphlink.pipeline.detect` over the whole window,
               split into graph (identifier edges, projection, hand-off to
               igraph), communities (Leiden, dense blocks), write (per-run
               tables) and scoring (:func:`graphlink.scoring.score_run`)
report         :func:`graphlink.report.build_report` of the last complete
               week: detection of that week and of the
               ``report.lineage_weeks`` weeks before it (a first report has
               no weekly run to reuse), lineage, files
=============  ============================================================

The floor is one DuckDB scan of the same requests Parquet files grouping by
account and IP, in a process of its own with the same settings.  ``--peer``
also runs :mod:`bench_peer_pandas` (pandas + networkx Louvain) on the same
world and reports the ratio.  A rich table is printed and the figures are
written as JSON to ``benchmarks/results/scale-<N>.json``.

Usage::

    python benchmarks/bench_scale.py --requests 1000000 --peer
    python benchmarks/bench_scale.py --requests 10000000 --workdir benchmarks/worlds/10m
    python benchmarks/bench_scale.py --requests 100000000 --workdir benchmarks/worlds/100m \\
        --memory-limit 10GB --temp-directory benchmarks/worlds/100m/spill

Not run by the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable
from peak_memory import PeakMemory  # benchmarks/ is on sys.path when run as a script

HERE = Path(__file__).resolve().parent
STAGES = ("ingest", "templates", "detect", "report")
RESULTS = HERE / "results"

# detect's progress steps -> the pipeline stage they belong to
_DETECT_PARTS = (
    ("templates", "templates"),
    ("run manifest", "graph"),
    ("hand-off", "graph"),
    ("write", "write"),
    ("scores", "scoring"),
    ("commit", "write"),
)


def _detect_part(step: str) -> str:
    for prefix, part in _DETECT_PARTS:
        if step.startswith(prefix):
            return part
    if "dense" in step or "communit" in step or "leiden" in step.lower() or "partition" in step:
        return "communities"
    return "graph"



# -- the child: one stage in this process -------------------------------------------------


def _progress() -> tuple[Any, Callable[[str], None]]:
    """A rich spinner on stderr whose text follows the stage's steps."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                   console=Console(stderr=True), transient=True)
    task = bar.add_task("starting")
    return bar, lambda text: bar.update(task, description=text)


def _database(args: argparse.Namespace):
    from graphlink.db import Database

    return Database(args.db, threads=args.threads, memory_limit=args.memory_limit,
                    temp_directory=args.temp_directory)


def _stage_ingest(args: argparse.Namespace, say: Callable[[str], None]) -> dict:
    from graphlink.config import Config
    from graphlink.ingest import ingest

    world = Path(args.world)
    paths = [str(world / "accounts.parquet"), str(world / "payment_methods.parquet"),
             str(world / "ip_intel.parquet"), str(world / "requests")]
    with _database(args) as db:
        res = ingest(db, Config(), paths, progress=lambda step, done, total: say(f"ingest: {step}"))
        counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # names from this tuple
                  for t in ("requests", "accounts", "payment_methods")}
    return {"rows": res.rows_loaded, "rejected": res.rows_rejected, "counts": counts}


def _stage_templates(args: argparse.Namespace, say: Callable[[str], None]) -> dict:
    from graphlink.config import Config
    from graphlink.templates import mine_templates

    say("templates: mining")
    with _database(args) as db:
        res = mine_templates(db, Config())
    return {"rows": res.prompts, "counts": {"templates": res.templates, "templated_requests": res.templated_requests,
                                            "candidate_segments": res.candidate_segments}}


def _stage_detect(args: argparse.Namespace, say: Callable[[str], None]) -> dict:
    from graphlink.config import Config
    from graphlink.pipeline import detect

    memory = PeakMemory()
    parts: dict[str, dict[str, float]] = {}
    state: dict[str, Any] = {"step": None, "t0": time.perf_counter()}

    def close() -> None:
        if state["step"] is not None:
            part = parts.setdefault(_detect_part(state["step"]), {"seconds": 0.0, "peak_rss": 0})
            part["seconds"] += time.perf_counter() - state["t0"]
            part["peak_rss"] = max(part["peak_rss"], memory.take())

    def step(text: str) -> None:
        close()
        say(f"detect: {text}")
        state["step"], state["t0"] = text, time.perf_counter()
        memory.take()

    try:
        with _database(args) as db:
            run = detect(db, Config(), progress=step)
            close()
            n_requests = db.execute("SELECT count(*) FROM requests").fetchone()[0]
    finally:
        memory.close()
    g, c = run.graph.to_dict(), run.communities.to_dict()
    return {
        "rows": n_requests,
        "run_id": run.run_id,
        "parts": parts,
        "counts": {"edges": g["n_edges"], "links": g["n_links"], "linked_accounts": g["n_accounts"],
                   "clusters": c["n_clusters"], "clustered": c["n_clustered"],
                   "scored": (run.scores or {}).get("clusters")},
        "seconds_by_detect": run.seconds,
    }


def _stage_report(args: argparse.Namespace, say: Callable[[str], None]) -> dict:
    from graphlink.config import Config
    from graphlink.report import build_report

    with _database(args) as db:
        res = build_report(db, Config(), out_dir=Path(args.db).parent / "report", progress=lambda s: say(f"report: {s}"))
    return {"rows": None, "counts": {"week": res.week, "clusters": res.clusters, "run_reused": res.run_reused}}


def _stage_floor(args: argparse.Namespace, say: Callable[[str], None]) -> dict:
    import duckdb

    say("floor: one scan grouping by account and IP")
    cfg: dict[str, Any] = {}
    if args.threads:
        cfg["threads"] = args.threads
    if args.memory_limit:
        cfg["memory_limit"] = args.memory_limit
    if args.temp_directory:
        cfg["temp_directory"] = args.temp_directory
    con = duckdb.connect(":memory:", config=cfg)
    glob = str(Path(args.world) / "requests" / "*.parquet")
    n_groups, n_rows = con.execute(
        "SELECT count(*), sum(n) FROM (SELECT account_id, ip, count(*) AS n FROM read_parquet($g) GROUP BY ALL)",
        {"g": glob}).fetchone()
    con.close()
    return {"rows": int(n_rows), "counts": {"account_ip_pairs": int(n_groups)}}


_CHILD = {"ingest": _stage_ingest, "templates": _stage_templates, "detect": _stage_detect,
          "report": _stage_report, "floor": _stage_floor}


def run_child(args: argparse.Namespace) -> int:
    """Run one stage and print its figures as one JSON line on stdout."""
    bar, say = _progress()
    t0 = time.perf_counter()
    with bar:
        out = _CHILD[args.stage](args, say)
    out["seconds"] = time.perf_counter() - t0
    out["peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(out, default=str))
    return 0


# -- the parent --------------------------------------------------------------------------


def _child_args(args: argparse.Namespace, stage: str, world: Path, dbfile: Path) -> list[str]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--stage", stage, "--world", str(world), "--db", str(dbfile)]
    for flag, value in (("--threads", args.threads), ("--memory-limit", args.memory_limit),
                        ("--temp-directory", args.temp_directory)):
        if value:
            cmd += [flag, str(value)]
    return cmd


def _run(cmd: list[str]) -> dict:
    """Run a child; its figures, or ``{"failed": ...}`` with its wall time and exit code."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        print(f"stage failed ({proc.returncode}): {' '.join(cmd)}", file=sys.stderr)
        return {"failed": proc.returncode, "seconds": time.perf_counter() - t0, "peak_rss": None, "counts": {}}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _world(args: argparse.Namespace, world: Path) -> dict:
    manifest = world / "truth" / "world.json"
    if manifest.exists():
        m = json.loads(manifest.read_text())
        return {"accounts": m.get("accounts"), "rows": m.get("rows", {}), "generated_seconds": None, "reused": True}
    from graphlink.synth import accounts_for_requests, generate

    accounts = accounts_for_requests(args.requests, args.days)
    print(f"generating a world of {accounts:,} accounts, {args.days} days in {world} ...", file=sys.stderr)
    t0 = time.perf_counter()
    res = generate(world, accounts=accounts, days=args.days, seed=args.seed, fmt="parquet", overwrite=True)
    return {"accounts": accounts, "rows": res.rows, "generated_seconds": round(time.perf_counter() - t0, 1),
            "reused": False}


def _fmt_n(v: Any) -> str:
    if v is None:
        return ""
    return f"{v:,}" if isinstance(v, int) else str(v)


def _table(figures: dict):
    from rich.table import Table

    n = figures["requests"]
    t = Table(title=f"graphlink on {n:,} requests, {figures['world']['accounts']:,} accounts "
                    f"({figures['settings']['threads'] or os.cpu_count()} threads, "
                    f"memory limit {figures['settings']['memory_limit'] or 'default'})")
    for col, just in (("stage", "left"), ("wall s", "right"), ("peak RSS GiB", "right"),
                      ("µs / request", "right"), ("rows / edges", "left")):
        t.add_column(col, justify=just)
    for row in figures["table"]:
        t.add_row(row["stage"], f"{row['seconds']:.1f}",
                  "" if row["peak_rss"] is None else f"{row['peak_rss'] / 2**30:.2f}",
                  f"{row['seconds'] / n * 1e6:.2f}", row["counts"])
    return t


def _rows(figures: dict) -> list[dict]:
    rows = []
    st = figures["stages"]
    for name in STAGES:
        if name not in st:
            continue
        s = st[name]
        counts = ", ".join(f"{k} {_fmt_n(v)}" for k, v in s["counts"].items() if v is not None)
        if "failed" in s:
            counts = f"FAILED (exit code {s['failed']})"
        rows.append({"stage": name, "seconds": s["seconds"], "peak_rss": s["peak_rss"], "counts": counts})
        if name == "detect":
            for part in ("graph", "communities", "write", "scoring"):
                p = s.get("parts", {}).get(part)
                if p:
                    rows.append({"stage": f"  {part}", "seconds": p["seconds"], "peak_rss": p["peak_rss"],
                                 "counts": ""})
    total = sum(st[s]["seconds"] for s in STAGES if s in st)
    peak = max(st[s]["peak_rss"] or 0 for s in STAGES if s in st)
    floor = figures["floor"]
    failed = [s for s in STAGES if "failed" in st.get(s, {})]
    rows.append({"stage": "end to end", "seconds": total, "peak_rss": peak or None,
                 "counts": f"incomplete: {', '.join(failed)} failed" if failed
                 else f"{total / floor['seconds']:.1f}× the floor"})
    rows.append({"stage": "floor (1 scan)", "seconds": floor["seconds"], "peak_rss": floor["peak_rss"],
                 "counts": ", ".join(f"{k} {_fmt_n(v)}" for k, v in floor["counts"].items())})
    if "peer" in figures:
        p = figures["peer"]
        rows.append({"stage": "peer: pandas + networkx", "seconds": p["seconds"], "peak_rss": p["peak_rss"],
                     "counts": f"{p['seconds'] / figures['comparable_seconds']:.1f}× graphlink's ingest..scoring "
                               f"({figures['comparable_seconds']:.1f} s); edges {_fmt_n(p['counts'].get('edges'))}"})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=1_000_000, help="about this many requests (default 1M)")
    ap.add_argument("--days", type=int, default=28)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", type=int, default=None, help="DuckDB threads")
    ap.add_argument("--memory-limit", default=None, help="DuckDB memory limit, e.g. 6GB")
    ap.add_argument("--temp-directory", default=None, help="where DuckDB spills (default: next to the database)")
    ap.add_argument("--workdir", default=None,
                    help="keep the world and database here and reuse the world when present (default: a temp dir)")
    ap.add_argument("--stages", default=",".join(STAGES), help="comma-separated stages to run (default all)")
    ap.add_argument("--peer", action="store_true", help="also run the pandas + networkx peer on the same world")
    ap.add_argument("--out", default=None, help="JSON results file (default benchmarks/results/scale-<N>.json)")
    # child mode
    ap.add_argument("--stage", choices=sorted(_CHILD), help=argparse.SUPPRESS)
    ap.add_argument("--world", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.stage:
        return run_child(args)

    from rich.console import Console

    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="graphlink-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    world, dbfile = work / "world", work / "scale.duckdb"
    stages = [s for s in args.stages.split(",") if s]
    try:
        figures: dict[str, Any] = {
            "requests_asked": args.requests,
            "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "settings": {"threads": args.threads, "memory_limit": args.memory_limit,
                         "temp_directory": args.temp_directory, "cpus": os.cpu_count()},
            "world": _world(args, world),
            "stages": {},
        }
        figures["requests"] = figures["world"]["rows"]["requests"]
        if "ingest" in stages:
            for f in work.glob("scale.duckdb*"):
                f.unlink()
        for stage in stages:
            figures["stages"][stage] = _run(_child_args(args, stage, world, dbfile))
            if "failed" in figures["stages"][stage]:
                break
        figures["floor"] = _run(_child_args(args, "floor", world, dbfile))
        st = figures["stages"]
        figures["comparable_seconds"] = sum(st[s]["seconds"] for s in ("ingest", "templates", "detect") if s in st)
        if args.peer:
            cmd = [sys.executable, str(HERE / "bench_peer_pandas.py"), "--world", str(world), "--json"]
            figures["peer"] = _run(cmd)
            figures["peer_ratio"] = figures["peer"]["seconds"] / figures["comparable_seconds"]
        figures["table"] = _rows(figures)
        figures["end_to_end_seconds"] = sum(st[s]["seconds"] for s in STAGES if s in st)
        figures["end_to_end_peak_rss"] = max(st[s]["peak_rss"] or 0 for s in STAGES if s in st)
        figures["floor_ratio"] = figures["end_to_end_seconds"] / figures["floor"]["seconds"]
        figures["us_per_request"] = figures["end_to_end_seconds"] / figures["requests"] * 1e6
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    out = Path(args.out) if args.out else RESULTS / f"scale-{args.requests}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2, default=str) + "\n")
    Console(width=140).print(_table(figures))
    print(f"figures written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
