"""``graphlink status`` and ``graphlink config``."""

from __future__ import annotations

from typing import Annotated

import typer

from ..status import database_status
from ._app import app
from ._common import JsonOption, emit_json, info, show, state, table


@app.command("status")
def status_command(
    ctx: typer.Context,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """What the database holds: tables, row counts, request time range, rejects by reason, recent runs.

    Example: [bold]graphlink --db demo.duckdb status --json[/bold]
    """
    st = state(ctx)
    config = st.config()
    with st.database(config, read_only=True) as db:
        result = database_status(db)
    if as_json:
        emit_json(result.to_dict())
        return
    show(table(f"Database {result.path}", ["table", "rows"], result.tables.items(), justify={"rows": "right"}))
    if result.first_request:
        info(
            f"requests from {result.first_request:%Y-%m-%d %H:%M} to {result.last_request:%Y-%m-%d %H:%M} UTC "
            f"by {result.accounts_in_requests:,} accounts"
        )
    if result.rejects:
        show(table("Rejected rows", ["table", "reason", "rows"],
                   [(r["table_name"], r["reason"], r["n"]) for r in result.rejects], justify={"rows": "right"}))
    if result.runs:
        show(table("Recent runs", ["run", "status", "started", "window from", "window to", "week"],
                   [(r["run_id"], r["status"], r["started_at"], r["since"], r["until"], r["week"]) for r in result.runs]))


@app.command("config")
def config_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of TOML.")] = False,
) -> None:
    """Print the effective config (defaults < graphlink.toml < flags) as TOML.

    Example: [bold]graphlink config > graphlink.toml[/bold] to start a config file.
    """
    config = state(ctx).config()
    if as_json:
        emit_json(config.to_dict())
        return
    if config.source:
        info(f"# read from {config.source}")
    typer.echo(to_toml(config.to_dict()), nl=False)


def to_toml(data: dict, prefix: str = "") -> str:
    """Render nested dicts as TOML (scalars first, then sub-tables); None values are omitted."""
    import json

    lines: list[str] = []
    scalars = {k: v for k, v in data.items() if not isinstance(v, dict)}
    tables = {k: v for k, v in data.items() if isinstance(v, dict)}
    if prefix and (scalars or not tables):
        lines.append(f"[{prefix}]")
    for k, v in scalars.items():
        if v is None:
            continue
        lines.append(f"{_key(k)} = {json.dumps(v, ensure_ascii=False)}")
    if lines:
        lines.append("")
    for k, v in tables.items():
        lines.append(to_toml(v, f"{prefix}.{_key(k)}" if prefix else _key(k)))
    return "\n".join(lines)


def _key(k: str) -> str:
    import re

    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else '"' + k.replace('"', '\\"') + '"'
