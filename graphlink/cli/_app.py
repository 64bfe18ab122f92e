"""The typer application, global options and error handling shared by every command."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from .. import __version__
from ..config import Config, load_config
from ..db import Database
from ..errors import GraphlinkError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@dataclass
class State:
    """What the global options decided, handed to every command via ``ctx.obj``."""

    config_path: Optional[Path] = None
    db_path: Optional[str] = None
    verbose: int = 0
    debug: bool = False
    overrides: dict[str, Any] = field(default_factory=dict)

    def config(self, **overrides: Any) -> Config:
        """The effective config: defaults < file < GRAPHLINK_DB < --db < command flags."""
        merged = dict(self.overrides)
        if self.db_path:
            merged["database.path"] = self.db_path
        merged.update(overrides)
        return load_config(self.config_path, merged)

    def database(self, config: Config, *, read_only: bool = False) -> Database:
        return Database.from_config(config, read_only=read_only)


class GraphlinkGroup(TyperGroup):
    """Turns graphlink errors into one clear line and an exit code."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GraphlinkError as exc:
            if _debug(ctx):
                raise
            _err(f"error: {exc}")
            sys.exit(exc.exit_code)
        except BrokenPipeError:
            # The reader went away (``graphlink clusters --json | head``): not an error.
            _silence_stdout()
            sys.exit(0)
        except KeyboardInterrupt:
            _err("interrupted")
            sys.exit(130)
        except (typer.Exit, typer.Abort, TyperException, SystemExit):
            raise
        except Exception as exc:  # a bug in graphlink, not a user mistake
            if _debug(ctx):
                raise
            _err(f"internal error: {type(exc).__name__}: {exc}")
            _err("this is a bug in graphlink; run again with --debug for the traceback")
            sys.exit(70)


def _debug(ctx: typer.Context) -> bool:
    root = ctx.find_root()
    return bool(isinstance(root.obj, State) and root.obj.debug)


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _err(message: str) -> None:
    from ._common import err_console

    err_console.print(message, markup=False, highlight=False, soft_wrap=True)


app = typer.Typer(
    cls=GraphlinkGroup,
    context_settings=CONTEXT,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    help=(
        "Find coordinated account clusters distilling a model through its API.\n\n"
        "Example: [bold]graphlink demo[/bold] — generate a sample world, detect its clusters, "
        "write an HTML graph and a weekly report."
    ),
)

export_app = typer.Typer(
    cls=GraphlinkGroup,
    context_settings=CONTEXT,
    no_args_is_help=True,
    rich_markup_mode="rich",
    help="Write graphs and verdicts to files for investigators, Gephi and case systems.",
)
app.add_typer(export_app, name="export")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"graphlink {__version__}")
        raise typer.Exit()


@app.callback()
def callback(
    ctx: typer.Context,
    db: Annotated[
        Optional[str],
        typer.Option("--db", envvar="GRAPHLINK_DB", help="DuckDB file \\[default: ./graphlink.duckdb].", show_default=False),
    ] = None,
    config: Annotated[
        Optional[Path],
        typer.Option("--config", "-c", envvar="GRAPHLINK_CONFIG", help="Config file \\[default: ./graphlink.toml if present].", show_default=False),
    ] = None,
    threads: Annotated[Optional[int], typer.Option("--threads", help="DuckDB worker threads.", min=1)] = None,
    memory_limit: Annotated[Optional[str], typer.Option("--memory-limit", help="DuckDB memory limit, e.g. 6GB.")] = None,
    temp_directory: Annotated[Optional[str], typer.Option("--temp-directory", help="Where DuckDB spills to disk.")] = None,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More detail on stderr (repeat for more).")] = 0,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = None,
) -> None:
    """Find coordinated account clusters distilling a model through its API."""
    overrides = {
        "database.threads": threads,
        "database.memory_limit": memory_limit,
        "database.temp_directory": temp_directory,
    }
    ctx.obj = State(config_path=config, db_path=db, verbose=verbose, debug=debug,
                    overrides={k: v for k, v in overrides.items() if v is not None})
    level = logging.DEBUG if verbose >= 2 else logging.INFO if verbose == 1 else logging.WARNING
    logging.basicConfig(level=level, format="%(name)s: %(message)s", stream=sys.stderr)
