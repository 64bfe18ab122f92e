"""``graphlink ingest``: load files that follow the data contract."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

from ..ingest import IngestResult, ProgressHook, ingest, parse_mapping
from ._app import app
from ._common import JsonOption, emit_json, err_console, info, show, state, table, warn

STRICT_EXIT = 4
"""Exit code of ``graphlink ingest --strict`` when rows were rejected."""

PROGRESS_MIN_BYTES = 32 * 1024 * 1024
"""Inputs smaller than this finish too fast for a progress bar to help."""


@app.command("ingest")
def ingest_command(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files, folders or globs: CSV (.csv, .csv.gz), Parquet, JSON Lines (.jsonl, .ndjson, .gz).", show_default=False)],
    table_name: Annotated[Optional[str], typer.Option("--table", help="The table every file holds (default: from each file or folder name).")] = None,
    maps: Annotated[Optional[list[str]], typer.Option("--map", help="SOURCE=COLUMN: read your column SOURCE as the contract column COLUMN (repeatable).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help=f"Exit with code {STRICT_EXIT} when any row is rejected.")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Load input files into the database, checking every row against the data contract.

    Rejected rows are kept in the rejects table with file, row number and reason;
    a file already ingested is skipped.

    Example: [bold]graphlink ingest data/sample --map client_ip=ip[/bold]
    """
    st = state(ctx)
    config = st.config()
    with st.database(config) as db, _progress() as hook:
        result = ingest(db, config, paths, table=table_name, mapping=parse_mapping(maps), strict=strict, progress=hook)
    if as_json:
        emit_json(result.to_dict())
    else:
        _summary(result)
    if result.failed:
        warn(f"--strict: {result.rows_rejected:,} row(s) rejected; see the rejects table")
        raise typer.Exit(STRICT_EXIT)


def _summary(result: IngestResult) -> None:
    rows = []
    names = [Path(f.path).name for f in result.files]
    unique = len(set(names)) == len(names)
    for f, name in zip(result.files, names):
        note = f"skipped: {f.note}" if f.status == "skipped" else _reasons(f.rejected_by_reason)
        rows.append((name if unique else f.path, f.table, f.rows_read, f.rows_loaded, f.rows_rejected, f.rows_duplicate, note))
    if len(result.files) > 1:
        rows.append(("total", "", result.rows_read, result.rows_loaded, result.rows_rejected,
                     result.rows_duplicate, _reasons(result.rejected_by_reason)))
    columns = ["file", "table", "read", "loaded", "rejected", "dupl.", "rejected by reason"]
    if not any(r[-1] for r in rows):                  # nothing rejected or skipped: no empty column
        columns, rows = columns[:-1], [r[:-1] for r in rows]
    show(table("Ingest", columns, rows, justify={c: "right" for c in ("read", "loaded", "rejected", "dupl.")}))
    masked = sum(f.rows_masked for f in result.files)
    if masked:
        info(f"{masked:,} loaded row(s) held a card-like number, stored masked")
    for note in result.notes:
        info(note)
    for message in result.warnings:
        warn(message)


def _reasons(counts: dict[str, int]) -> str:
    return "\n".join(f"{reason} {n:,}" for reason, n in sorted(counts.items()))


@contextmanager
def _progress() -> Iterator[ProgressHook]:
    """A progress-bar hook on stderr, drawn only for large inputs on a terminal."""
    bar: Progress | None = None
    task = None

    def hook(step: str, done: int, total: int) -> None:
        nonlocal bar, task
        if bar is None:
            if total < PROGRESS_MIN_BYTES or not err_console.is_terminal:
                return
            bar = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeElapsedColumn(),
                           console=err_console, transient=True)
            bar.start()
            task = bar.add_task(step, total=total)
        bar.update(task, description=step, completed=done)

    try:
        yield hook
    finally:
        if bar is not None:
            bar.stop()
