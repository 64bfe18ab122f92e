"""``graphlink detect``, ``clusters``, ``cluster`` and ``account``."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from ..pipeline import account_detail, cluster_detail, detect, list_clusters
from ._app import app
from ._common import JsonOption, emit_json, info, show, stage_spinner, state, table

RunOption = typer.Option("--run", help="Run id \\[default: the newest complete run].", show_default=False)


@app.command("detect")
def detect_command(
    ctx: typer.Context,
    since: Annotated[Optional[str], typer.Option(help="Window start, ISO 8601 (UTC without offset) \\[default: all data].", show_default=False)] = None,
    until: Annotated[Optional[str], typer.Option(help="Window end, exclusive \\[default: all data].", show_default=False)] = None,
    week: Annotated[Optional[str], typer.Option(help="An ISO week such as 2026-W10 instead of --since/--until.", show_default=False)] = None,
    resolution: Annotated[Optional[float], typer.Option(help="Leiden resolution (communities.resolution).", show_default=False)] = None,
    seed: Annotated[Optional[int], typer.Option(help="Leiden seed (communities.seed).", show_default=False)] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Build the account-identifier graph, find clusters, score them; record everything as a new run.

    Example: [bold]graphlink detect --since 2026-03-01 --until 2026-04-01[/bold]
    """
    st = state(ctx)
    config = st.config(**{"communities.resolution": resolution, "communities.seed": seed})
    with st.database(config) as db, stage_spinner("detect") as progress:
        result = detect(db, config, since=since, until=until, week=week, progress=progress)
    if as_json:
        emit_json(result.to_dict())
        return
    g, c, d = result.graph, result.communities, result.dense_blocks
    info(f"run {result.run_id}: {c.n_clusters:,} clusters holding {c.n_clustered:,} accounts "
         f"(largest {c.largest_cluster:,}); {g.n_links:,} links between {g.n_accounts:,} accounts, "
         f"{g.n_hubs:,} hub identifiers set aside; {d.n_blocks:,} dense blocks")
    show(table("Graph by identifier kind", ["kind", "edges", "identifiers", "shared", "hubs", "pairs"],
               [(k, v["n_edges"], v["n_identifiers"], v["n_shared"], v["n_hubs"], v["n_pairs"])
                for k, v in result.graph.by_kind.items()],
               justify={k: "right" for k in ("edges", "identifiers", "shared", "hubs", "pairs")}))
    info("next: graphlink clusters")


def _kinds(value: Any) -> str:
    return ", ".join(value or [])


@app.command("clusters")
def clusters_command(
    ctx: typer.Context,
    run: Annotated[Optional[int], RunOption] = None,
    min_size: Annotated[int, typer.Option("--min-size", help="Only clusters of at least this many accounts.", min=2)] = 2,
    limit: Annotated[Optional[int], typer.Option(help="At most this many clusters \\[default: all].", min=1, show_default=False)] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """List the clusters of a run, highest score first.

    Example: [bold]graphlink clusters --min-size 5 --limit 20[/bold]
    """
    st = state(ctx)
    config = st.config()
    with st.database(config, read_only=True) as db:
        result = list_clusters(db, run, min_size=min_size, limit=limit)
    if as_json:
        emit_json(result)
        return
    rows = [(r["cluster_id"], r["size"], r["score"], r["band"], r["n_requests"], r["first_seen"], r["last_seen"],
             _kinds(r["kinds"])) for r in result["clusters"]]
    show(table(f"Clusters of run {result['run']['run_id']}",
               ["cluster", "accounts", "score", "band", "requests", "first seen", "last seen", "bound by"],
               rows, justify={"accounts": "right", "score": "right", "requests": "right"}))
    if rows:
        info(f"next: graphlink cluster {rows[0][0]}")


@app.command("cluster")
def cluster_command(
    ctx: typer.Context,
    cluster_id: Annotated[str, typer.Argument(help="A cluster id such as C-acct_00017.", show_default=False)],
    run: Annotated[Optional[int], RunOption] = None,
    rows: Annotated[int, typer.Option(help="Show at most this many identifiers and members (--json: all).", min=1)] = 25,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Show one cluster: its score and reasons, its members and the identifiers that bind them.

    Example: [bold]graphlink cluster C-acct_00017 --json[/bold]
    """
    st = state(ctx)
    config = st.config()
    with st.database(config, read_only=True) as db:
        result = cluster_detail(db, cluster_id, run)
    if as_json:
        emit_json(result)
        return
    c = result["cluster"]
    score = f"score {c['score']:.0f} ({c['band']})" if c["score"] is not None else "not scored"
    block = (f"; {c['dense_block_share']:.0%} of it in dense block {c['dense_block']}"
             if c["dense_block"] else "")
    info(f"{c['cluster_id']} in run {result['run']['run_id']}: {c['size']} accounts, {score}; "
         f"{c['n_requests']:,} requests from {c['first_seen']} to {c['last_seen']}; "
         f"component of {c['component_size']:,} accounts{block}")
    for reason in c["reasons"]:
        info(f"  - {reason}")
    evidence, members = result["evidence"], result["members"]
    show(table(_title("Identifiers binding the cluster", len(evidence), rows),
               ["kind", "value", "members", "all accounts", "requests", "first seen", "last seen", "hub"],
               [(e["kind"], e["value"], e["n_accounts"], e["degree"], e["n_requests"], e["first_seen"],
                 e["last_seen"], e["is_hub"]) for e in evidence[:rows]],
               justify={"members": "right", "all accounts": "right", "requests": "right"}))
    show(table(_title("Members", len(members), rows),
               ["account", "created", "e-mail domain", "country", "status", "requests", "links"],
               [(m["account_id"], m["created_at"], m["email_domain"], m["country"], m["status"], m["n_requests"],
                 m["n_links"]) for m in members[:rows]],
               justify={"requests": "right", "links": "right"}))


def _title(title: str, total: int, shown: int) -> str:
    return title if total <= shown else f"{title} (strongest {shown} of {total}; --rows or --json for more)"


@app.command("account")
def account_command(
    ctx: typer.Context,
    account_id: Annotated[str, typer.Argument(help="An account id.", show_default=False)],
    run: Annotated[Optional[int], RunOption] = None,
    links: Annotated[int, typer.Option(help="How many of its strongest links to show.", min=1)] = 10,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Show one account: its cluster, the identifiers it shares and its strongest links.

    Example: [bold]graphlink account acct_00017 --links 5[/bold]
    """
    st = state(ctx)
    config = st.config()
    with st.database(config, read_only=True) as db:
        result = account_detail(db, account_id, run, links=links)
    if as_json:
        emit_json(result)
        return
    a, c = result["account"], result["cluster"]
    where = (f"in cluster {c['cluster_id']} ({c['size']} accounts"
             + (f", score {c['score']:.0f} {c['band']}" if c["score"] is not None else "") + ")"
             if c else "in no cluster")
    created = f"created {a['created_at']:%Y-%m-%d}" if a["created_at"] else "sign-up time unknown"
    info(f"{a['account_id']} ({created}) is {where} in run {result['run']['run_id']}")
    show(table("Shared identifiers", ["kind", "value", "accounts", "hub", "weight", "requests", "first seen", "last seen"],
               [(i["kind"], i["value"], i["degree"], i["is_hub"], i["weight"], i["n_requests"], i["first_seen"],
                 i["last_seen"]) for i in result["identifiers"]],
               justify={"accounts": "right", "weight": "right", "requests": "right"}))
    show(table("Strongest links", ["account", "cluster", "weight", "shared", "co-occurring", "by"],
               [(lk["account_id"], lk["cluster_id"], lk["weight"], lk["n_shared"], lk["n_co_occurring"],
                 ", ".join(f"{e['kind']} {e['value']}" for e in lk["evidence"][:3])) for lk in result["links"]],
               justify={"weight": "right", "shared": "right", "co-occurring": "right"}))
