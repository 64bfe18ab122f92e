"""``graphlink synth``: write a synthetic world with ground truth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..synth import FORMATS, PRESETS, generate, world_size
from ._app import app
from ._common import JsonOption, emit_json, err_console, info, show, table

_PRESET_HELP = "Size preset: " + ", ".join(
    f"{name} ({size['accounts']:,} accounts, {size['days']} days)" for name, size in PRESETS.items()
) + "."


@app.command("synth")
def synth_command(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the world into (created when missing).", show_default=False)],
    preset: Annotated[Optional[str], typer.Option(help=_PRESET_HELP, show_default=False)] = None,
    accounts: Annotated[Optional[int], typer.Option(help="Number of accounts (about 12 requests each per 28 days) \\[default: 1000].", min=1, show_default=False)] = None,
    days: Annotated[Optional[int], typer.Option(help="Days of requests \\[default: 28].", min=1, show_default=False)] = None,
    seed: Annotated[int, typer.Option(help="Seed; the same arguments give byte-identical files.")] = 42,
    fmt: Annotated[str, typer.Option("--format", help=f"File format: {', '.join(FORMATS)}.")] = "parquet",
    start: Annotated[Optional[str], typer.Option(help="First day, YYYY-MM-DD \\[default: 2026-11-02, so 28 days are ISO weeks 2026-W45..W48].", show_default=False)] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace a world already in OUT_DIR.")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Write a synthetic world in the data contract's format: accounts, payment methods, requests
    (one file per ISO week), ip_intel, and the ground truth under truth/ (labels with campaign,
    style and benign group; each request's true prompt template).

    Example: [bold]graphlink synth world --preset tiny --format csv[/bold], then
    [bold]graphlink ingest world[/bold] (truth/ is left out)
    """
    n_accounts, n_days = world_size(preset, accounts, days)
    with Progress(TextColumn("synth"), BarColumn(), MofNCompleteColumn(), TextColumn("days"),
                  TimeElapsedColumn(), console=err_console, transient=True) as bar:
        task = bar.add_task("synth", total=n_days)
        result = generate(out_dir, accounts=n_accounts, days=n_days, seed=seed, fmt=fmt, start=start,
                          overwrite=overwrite, progress=lambda done, _total: bar.update(task, completed=done))
    if as_json:
        emit_json(result.to_dict())
        return
    show(table(f"{result.out_dir} ({result.fmt})", ["table", "files", "rows"],
               [(name, len(result.paths[name]), result.rows[name]) for name in result.rows],
               justify={"files": "right", "rows": "right"}))
    show(table("Campaigns (ground truth in truth/labels)", ["campaign", "style", "accounts", "requests"],
               [(c["campaign_id"], c["style"], c["accounts"], c["requests"]) for c in result.campaigns],
               justify={"accounts": "right", "requests": "right"}))
    info(f"{result.rows['requests']:,} requests by {result.accounts:,} accounts from {result.start} "
         f"over {result.days} days, in {result.seconds:.1f} s")
    info(f"next: graphlink ingest {result.out_dir} "
         f"(its truth/ folder, the ground truth for graphlink evaluate, is left out on purpose)")
