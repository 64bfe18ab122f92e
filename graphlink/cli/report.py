"""``graphlink report``: the weekly cluster report for enforcement."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..report import build_report
from ._app import app
from ._common import JsonOption, emit_json, info, show, stage_spinner, state, table


@app.command("report")
def report_command(
    ctx: typer.Context,
    week: Annotated[
        Optional[str],
        typer.Option("--week", "-w", help="ISO week such as 2026-W47 \\[default: the last complete week in the data].",
                     show_default=False),
    ] = None,
    out: Annotated[
        Optional[Path],
        typer.Option("--out", "-o", help="Report folder \\[default: ./report-<week>].", show_default=False),
    ] = None,
    top: Annotated[Optional[int], typer.Option("--top", help="Clusters in the action section.", min=1)] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Write the weekly cluster report: clusters to act on, evidence, and what changed since last week.

    Runs detection for the week (or reuses its run), matches its clusters to
    the previous week's, and writes report.html, report.md, clusters.json,
    clusters.csv and accounts.csv.

    Example: [bold]graphlink --db demo.duckdb report --week 2026-W47 --out reports/2026-W47[/bold]
    """
    st = state(ctx)
    config = st.config(**{"report.top": top})
    with st.database(config) as db, stage_spinner("report") as progress:
        result = build_report(db, config, week=week, out_dir=out, progress=progress)
    if as_json:
        emit_json(result.to_dict())
        return
    how = "reused run" if result.run_reused else "new run"
    info(f"{result.week}: {how} {result.run_id}, "
         + (f"compared with {result.prev_week} (run {result.prev_run_id})" if result.prev_week else "no earlier week"))
    show(table(
        f"Clusters to act on, {result.week}",
        ["#", "cluster", "band", "score", "action", "change", "accounts", "requests"],
        [(i, c["cluster_id"], c["band"], c["score"], c["recommended_action"], c["change"], c["size"], c["n_requests"])
         for i, c in enumerate(result.top, 1)],
        justify={"score": "right", "accounts": "right", "requests": "right"},
    ))
    info(", ".join(f"{n} {s}" for s, n in result.changes.items() if n)
         + f"; {result.ban_evasion_accounts} accounts created after a ban")
    info(f"wrote {result.out_dir / 'report.html'} (and {', '.join(f for f in result.files if f != 'report.html')})")
