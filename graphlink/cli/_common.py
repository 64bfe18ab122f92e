"""Output helpers shared by the commands: rich on stderr for people, JSON on stdout for machines."""

from __future__ import annotations

import datetime as _dt
import decimal
import json
import sys
from pathlib import Path
from typing import Any, Iterable, Sequence

import typer
from contextlib import contextmanager
from typing import Callable, Iterator

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ._app import State

err_console = Console(stderr=True)
out_console = Console()

JsonOption = typer.Option("--json", help="Print machine-readable JSON on stdout.")


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):  # invoked without the callback (tests of one command)
        root.obj = State()
    return root.obj


def _default(value: Any) -> Any:
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if hasattr(value, "__dataclass_fields__"):
        import dataclasses

        return dataclasses.asdict(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def emit_json(data: Any) -> None:
    """Write *data* as JSON to stdout (sorted keys, UTF-8, one document)."""
    sys.stdout.write(json.dumps(data, default=_default, sort_keys=True, indent=2, ensure_ascii=False))
    sys.stdout.write("\n")
    sys.stdout.flush()


def info(message: str) -> None:
    """A message for people (stderr)."""
    err_console.print(message, highlight=False, soft_wrap=True)


def warn(message: str) -> None:
    err_console.print(f"[yellow]warning:[/yellow] {message}", highlight=False, soft_wrap=True)


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, justify: dict[str, str] | None = None) -> Table:
    """A rich table; numbers right-aligned, None shown as blank."""
    t = Table(title=title, title_justify="left", show_lines=False, header_style="bold")
    justify = justify or {}
    for col in columns:
        t.add_column(col, justify=justify.get(col, "left"), overflow="fold")
    for row in rows:
        t.add_row(*["" if v is None else _fmt(v) for v in row])
    return t


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        return f"{v:,.3g}" if abs(v) < 1000 else f"{v:,.0f}"
    if isinstance(v, _dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M")
    return str(v)


def show(renderable: Any) -> None:
    """Print a table or other renderable for people (stdout when it is the command's output)."""
    out_console.print(renderable)


@contextmanager
def stage_spinner(label: str) -> Iterator[Callable[[str], None]]:
    """A spinner on stderr naming the step that runs: ``with stage_spinner("detect") as say: say("graph")``.

    Silent when stderr is not a terminal, so logs and pipes stay clean.
    """
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=err_console, transient=True, disable=not err_console.is_terminal) as bar:
        task = bar.add_task(label, total=None)
        yield lambda step: bar.update(task, description=f"{label}: {step}")
