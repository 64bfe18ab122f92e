"""``graphlink export verdicts``: account-level verdicts of a run as CSV, for case systems."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..scoring import write_verdicts
from ._app import export_app
from ._common import JsonOption, emit_json, info, state


@export_app.command("verdicts")
def verdicts_command(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="CSV file to write.", show_default=False)],
    run: Annotated[
        Optional[int], typer.Option("--run", help="Detection run \\[default: the newest scored run].", show_default=False)
    ] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Write account_id,cluster_id,score,band for every account of a scored cluster (highest score first).

    An account in several clusters is listed once, with its highest-scoring cluster.

    Example: [bold]graphlink export verdicts -o verdicts.csv[/bold]
    """
    st = state(ctx)
    config = st.config()
    with st.database(config, read_only=True) as db:
        result = write_verdicts(db, output, run_id=run)
    if as_json:
        emit_json(result.to_dict())
        return
    bands = ", ".join(f"{n:,} {b}" for b, n in result.bands.items())
    info(f"wrote {result.accounts:,} accounts of run {result.run_id} to {result.path} ({bands})")
