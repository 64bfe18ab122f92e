"""``graphlink export html|graphml|gexf``: one cluster or one account's neighbourhood as a file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer

from ..errors import InputError
from ..exports import ExportResult, export_graph
from ._app import export_app
from ._common import JsonOption, emit_json, info, state, warn

ClusterOption = Annotated[
    Optional[str], typer.Option("--cluster", help="The cluster to draw, e.g. C-acct_000123.", show_default=False)
]
AccountOption = Annotated[
    Optional[str], typer.Option("--account", help="Draw this account's neighbourhood instead.", show_default=False)
]
HopsOption = Annotated[
    Optional[int],
    typer.Option("--hops", min=0, help="With --account: hops of account -> identifier -> account \\[default: 1].",
                 show_default=False),
]
OutputOption = Annotated[
    Optional[Path],
    typer.Option("--output", "-o", help="File to write \\[default: <cluster or account>.<format>].", show_default=False),
]
RunOption = Annotated[
    Optional[int], typer.Option("--run", help="Detection run \\[default: the newest complete run].", show_default=False)
]
MinSharedOption = Annotated[
    int, typer.Option("--min-shared", min=1, help="Draw identifiers used by at least this many of the accounts.")
]

_HELP = {
    "html": (
        "Write one cluster, or one account's neighbourhood, as a self-contained interactive HTML page.\n\n"
        "The page opens offline (nothing is fetched), shows accounts and identifiers by kind with a "
        "legend, search and a filter per identifier kind, evidence in tooltips, and the cluster's score, "
        "band and reasons. Above report.html_node_cap nodes it draws a labelled sample.\n\n"
        "Example: [bold]graphlink export html --cluster C-acct_000123 -o cluster.html[/bold]"
    ),
    "graphml": (
        "Write one cluster, or one account's neighbourhood, as GraphML for Gephi, yEd or networkx.\n\n"
        "Example: [bold]graphlink export graphml --account acct_000123 --hops 2 -o neighbourhood.graphml[/bold]"
    ),
    "gexf": (
        "Write one cluster, or one account's neighbourhood, as GEXF for Gephi.\n\n"
        "Example: [bold]graphlink export gexf --cluster C-acct_000123 -o cluster.gexf[/bold]"
    ),
}


def _default_output(fmt: str, cluster: str | None, account: str | None) -> Path:
    stem = cluster if cluster is not None else f"{account}-neighbourhood"
    return Path(re.sub(r"[^\w.-]+", "_", str(stem)).strip("._") or "export").with_suffix(f".{fmt}")


def _report(result: ExportResult) -> None:
    info(
        f"wrote {result.path}: {result.selection} from run {result.run_id}, "
        f"{result.nodes_written:,} nodes and {result.edges_written:,} links"
    )
    if result.sampled:
        warn(
            f"the graph has {result.nodes:,} nodes and {result.edges:,} links; the page draws a labelled sample "
            "(raise report.html_node_cap, or export graphml for all of it)"
        )


def _command(fmt: str) -> Callable[..., None]:
    def command(
        ctx: typer.Context,
        cluster: ClusterOption = None,
        account: AccountOption = None,
        hops: HopsOption = None,
        output: OutputOption = None,
        run: RunOption = None,
        min_shared: MinSharedOption = 2,
        as_json: Annotated[bool, JsonOption] = False,
    ) -> None:
        if hops is not None and account is None:
            raise InputError("--hops applies to --account only")
        st = state(ctx)
        config = st.config()
        path = output if output is not None else _default_output(fmt, cluster, account)
        with st.database(config, read_only=True) as db:
            result = export_graph(
                db, config, path, fmt=fmt, cluster_id=cluster, account_id=account,
                hops=1 if hops is None else hops, run_id=run, min_shared=min_shared,
            )
        if as_json:
            emit_json(result.to_dict())
        else:
            _report(result)

    command.__name__ = f"export_{fmt}_command"
    command.__doc__ = _HELP[fmt]
    return command


for _fmt in ("html", "graphml", "gexf"):
    export_app.command(_fmt)(_command(_fmt))
