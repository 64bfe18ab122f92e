"""``graphlink demo``: a synthetic world through every stage, in under a minute."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..demo import run_demo
from ._app import app
from ._common import JsonOption, emit_json, info, show, stage_spinner, state, table


@app.command("demo")
def demo_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the world, database, graph page and report.")] = Path("graphlink-demo"),
    accounts: Annotated[int, typer.Option(help="Accounts in the generated world.", min=300)] = 1000,
    seed: Annotated[int, typer.Option(help="Seed of the generated world.")] = 7,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Generate a synthetic world, ingest it, detect and score its clusters, and write
    an HTML graph of the top cluster and the weekly report.

    Example: [bold]graphlink demo --out graphlink-demo[/bold], then open
    graphlink-demo/report/report.html
    """
    config = state(ctx).config()
    with stage_spinner("demo") as say:
        result = run_demo(out, config, accounts=accounts, seed=seed, progress=say)
    if as_json:
        emit_json(result.to_dict())
        return
    rows = [
        (c["cluster_id"], c.get("band") or "", c.get("score"), c["size"], c["n_requests"],
         (c.get("reasons") or [""])[0])
        for c in result.clusters[:10]
    ]
    show(table(f"Top clusters of run {result.run_id}", ["cluster", "band", "score", "accounts", "requests", "first reason"],
               rows, justify={"score": "right", "accounts": "right", "requests": "right"}))
    bands = ", ".join(f"{n} {band}" for band, n in sorted(result.bands.items()))
    info(f"{len(result.clusters)} clusters ({bands})")
    if result.evaluation:
        high = next((b for b in result.evaluation["bands"] if b["band"] == "high"), None)
        if high:
            info(f"against the world's ground truth, the high band has account precision "
                 f"{_pct(high.get('precision'))} and recall {_pct(high.get('recall'))}")
    info(f"database:   {result.database}  (try: graphlink --db {result.database} clusters --run {result.run_id})")
    if result.graph_page:
        info(f"graph page: {result.graph_page}")
    if result.report_dir:
        info(f"report:     {result.report_dir / 'report.html'} (week {result.report_week})")
    info(f"world:      {result.world}  (ground truth in {result.world / 'truth'})")
    info("took " + ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items()))


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.0%}"
