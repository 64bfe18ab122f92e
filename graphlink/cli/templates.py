"""``graphlink templates`` and ``graphlink template ID``."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..templates import template_detail, template_listing
from ._app import app
from ._common import JsonOption, emit_json, info, show, state, table


def _short(skeleton: str | None, width: int = 60) -> str:
    if skeleton is None:
        return ""
    text = " / ".join(line for line in skeleton.splitlines() if line)
    return text if len(text) <= width else text[: width - 1] + "…"


def _signals(row: dict) -> str:
    on = (("reasoning", row["elicits_reasoning"]), ("grading", row["grades_outputs"]), ("hub", row["is_hub"]))
    return " ".join(name for name, flag in on if flag)


def _days(row: dict) -> str:
    first, last = row["first_seen"], row["last_seen"]
    if first is None:
        return ""
    return f"{first:%Y-%m-%d}" if first.date() == last.date() else f"{first:%Y-%m-%d}..{last:%m-%d}"


@app.command("templates")
def templates_command(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many templates to list.")] = 20,
    refresh: Annotated[bool, typer.Option("--refresh", help="Mine again even if the requests did not change.")] = False,
    run: Annotated[Optional[int], typer.Option("--run", help="Count clusters of this run \\[default: the newest].")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """List the most used prompt templates: skeleton, requests, accounts, clusters, reasoning / grading signals.

    Templates are mined from the prompts first when the requests changed since the last mining.

    Example: [bold]graphlink templates --limit 10[/bold]
    """
    st = state(ctx)
    config = st.config()
    with st.database(config) as db:
        listing = template_listing(db, config, limit=limit, refresh=refresh, run_id=run)
    if as_json:
        emit_json(listing.to_dict())
        return
    m = listing.mining
    info(f"{m.templates:,} mined and {m.upstream_templates:,} upstream templates; "
         f"{m.templated_requests:,} of {m.prompts + m.upstream_requests:,} requests templated"
         + ("" if m.mined else " (unchanged since the last mining)"))
    columns = ["template", "requests", "accounts"] + (["clusters"] if listing.run_id is not None else [])
    columns += ["seen", "signals", "skeleton"]
    rows = [
        [r["template_id"], r["n_requests"], r["n_accounts"]]
        + ([r["n_clusters"]] if listing.run_id is not None else [])
        + [_days(r), _signals(r), _short(r["skeleton"]) or f"({r['source']})"]
        for r in listing.templates
    ]
    right = {c: "right" for c in ("requests", "accounts", "clusters")}
    show(table("Templates" + (f" (clusters of run {listing.run_id})" if listing.run_id is not None else ""),
               columns, rows, justify=right))


@app.command("template")
def template_command(
    ctx: typer.Context,
    template_id: Annotated[str, typer.Argument(help="A template id from 'graphlink templates'.")],
    examples: Annotated[int, typer.Option("--examples", "-n", min=0, help="How many example prompts.")] = 5,
    chars: Annotated[int, typer.Option("--chars", min=20, help="Cut example prompts at this many characters.")] = 300,
    run: Annotated[Optional[int], typer.Option("--run", help="Clusters of this run \\[default: the newest].")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Show one template: its skeleton, spread, signals, top accounts, clusters and example prompts (truncated).

    Example: [bold]graphlink template T-2a85588a16 --examples 3[/bold]
    """
    st = state(ctx)
    config = st.config()
    with st.database(config) as db:
        detail = template_detail(db, config, template_id, examples=examples, chars=chars, run_id=run)
    if as_json:
        emit_json(detail.to_dict())
        return
    t = detail.template
    show(table(f"Template {t['template_id']} ({t['source']})", ["", "value"], [
        ("requests", t["n_requests"]), ("accounts", t["n_accounts"]),
        ("first seen", t["first_seen"]), ("last seen", t["last_seen"]),
        ("variants merged", t["n_variants"]), ("hub", t["is_hub"]),
        ("elicits reasoning", t["elicits_reasoning"]), ("grades outputs", t["grades_outputs"]),
        ("phrases", ", ".join(t["flags"])),
    ]))
    if t["skeleton"]:
        show(table("Skeleton («…» varies, «n» is a number)", ["line"], [[line] for line in t["skeleton"].splitlines()]))
    show(table("Top accounts", ["account", "requests", "first seen", "last seen"],
               [(a["account_id"], a["n_requests"], a["first_seen"], a["last_seen"]) for a in detail.accounts],
               justify={"requests": "right"}))
    if detail.run_id is not None:
        show(table(f"Clusters of run {detail.run_id} using it", ["cluster", "accounts", "requests"],
                   [(c["cluster_id"], c["n_accounts"], c["n_requests"]) for c in detail.clusters],
                   justify={"accounts": "right", "requests": "right"}))
    show(table("Example prompts", ["request", "account", "time", "prompt"],
               [(e["request_id"], e["account_id"], e["ts"], e["prompt"]) for e in detail.examples]))
