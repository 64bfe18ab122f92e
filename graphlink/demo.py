"""The end-to-end demo: a synthetic world through every stage of graphlink.

:func:`run_demo` generates a small world (:mod:`graphlink.synth`), ingests it
into a fresh database, runs detection over all of it, writes the HTML graph of
the highest-scoring cluster, writes the weekly report of the last complete
week, and evaluates the run against the world's ground truth.  It is what
``graphlink demo`` runs, and what a newcomer sees first.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .config import Config
from .db import Database
from .errors import InputError

__all__ = ["DemoResult", "run_demo"]

Progress = Callable[[str], None]


@dataclass
class DemoResult:
    """Where the demo wrote its outputs and what it found."""

    out_dir: Path
    database: Path
    world: Path
    run_id: int
    clusters: list[dict[str, Any]]
    bands: dict[str, int]
    graph_page: Path | None
    report_dir: Path | None
    report_week: str | None
    evaluation: dict[str, Any] | None
    seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "out_dir": str(self.out_dir),
            "database": str(self.database),
            "world": str(self.world),
            "run_id": self.run_id,
            "clusters": self.clusters,
            "bands": self.bands,
            "graph_page": str(self.graph_page) if self.graph_page else None,
            "report_dir": str(self.report_dir) if self.report_dir else None,
            "report_week": self.report_week,
            "evaluation": self.evaluation,
            "seconds": self.seconds,
        }


def run_demo(
    out_dir: str | Path,
    config: Config,
    *,
    accounts: int = 1000,
    days: int = 28,
    seed: int = 7,
    progress: Progress | None = None,
) -> DemoResult:
    """Generate a world in ``out_dir/world``, load it into ``out_dir/graphlink.duckdb`` and run everything.

    The database and world of an earlier demo in *out_dir* are replaced; any
    other file there is left alone.  ``config.database.path`` is ignored: the
    demo always uses its own database inside *out_dir*.

    Raises
    ------
    InputError : *out_dir* exists and is not a folder.
    """
    from . import synth
    from .evaluate import evaluate
    from .exports import export_graph
    from .ingest import ingest
    from .pipeline import cluster_reasons, detect, list_clusters
    from .report import build_report

    say = progress or (lambda _msg: None)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"demo output {out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    world = out / "world"
    db_path = out / "graphlink.duckdb"
    for stale in (db_path, Path(f"{db_path}.wal")):
        stale.unlink(missing_ok=True)
    if world.exists():
        shutil.rmtree(world)
    seconds: dict[str, float] = {}

    def step(name: str, message: str) -> Callable[[], None]:
        say(message)
        t0 = time.perf_counter()
        return lambda: seconds.__setitem__(name, round(time.perf_counter() - t0, 2))

    done = step("synth", f"generating a world of {accounts:,} accounts over {days} days")
    made = synth.generate(world, accounts=accounts, days=days, seed=seed, fmt="parquet")
    done()

    config = config.with_overrides({"database.path": str(db_path)})
    with Database.from_config(config) as db:
        done = step("ingest", "loading it into DuckDB")
        ingest(db, config, [str(world)])  # a folder's truth/ is left out: detection never sees it
        done()

        done = step("detect", "detecting clusters over the whole period")
        run = detect(db, config, progress=lambda s: say(f"detect: {s}"))
        done()
        listing = list_clusters(db, run.run_id)["clusters"]
        reasons = cluster_reasons(db, run.run_id)
        for c in listing:
            c["reasons"] = reasons.get(c["cluster_id"], [])
        bands: dict[str, int] = {}
        for c in listing:
            bands[c.get("band") or "unscored"] = bands.get(c.get("band") or "unscored", 0) + 1

        graph_page = None
        if listing:
            top = listing[0]
            done = step("html", f"drawing cluster {top['cluster_id']}")
            graph_page = out / f"cluster-{_file_safe(top['cluster_id'])}.html"
            export_graph(db, config, graph_page, fmt="html", cluster_id=top["cluster_id"], run_id=run.run_id)
            done()

        done = step("report", "writing the weekly report of the last complete week")
        report = build_report(db, config, out_dir=out / "report",
                              progress=lambda s: say(f"report: {s}"))
        done()

        done = step("evaluate", "comparing the run with the world's ground truth")
        labels = made.paths["labels"][0]
        evaluation = evaluate(db, config, labels=labels, run_id=run.run_id).to_dict()
        done()

    return DemoResult(
        out_dir=out,
        database=db_path,
        world=world,
        run_id=run.run_id,
        clusters=listing,
        bands=bands,
        graph_page=graph_page,
        report_dir=report.out_dir,
        report_week=report.week,
        evaluation=evaluation,
        seconds=seconds,
    )


def _file_safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in text)
