"""``graphlink evaluate``: compare the latest run's verdicts with known labels."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ..evaluate import calibrate, evaluate
from ._app import app
from ._common import JsonOption, emit_json, info, show, state, table

_RIGHT = {c: "right" for c in ("accounts", "campaigns", "groups", "flagged", "tp", "fp", "fn", "precision",
                               "recall", "high", "medium+", "recall high", "recall medium+", "FPR high",
                               "FPR medium+", "groups flagged", "clusters")}


def _pct(x: Any) -> str:
    return "" if x is None else f"{100 * x:.1f}%"


@app.command("evaluate")
def evaluate_command(
    ctx: typer.Context,
    labels: Annotated[
        Optional[Path],
        typer.Option("--labels", "-l", help="Labels file (CSV, JSONL, Parquet) \\[default: the labels table].",
                     show_default=False),
    ] = None,
    run: Annotated[
        Optional[int], typer.Option("--run", help="Run to evaluate \\[default: the newest scored run].", show_default=False)
    ] = None,
    campaigns: Annotated[bool, typer.Option("--campaigns", help="Also list recall per campaign.")] = False,
    calibrate_weights: Annotated[
        bool, typer.Option("--calibrate", help="Instead, fit scoring weights on the labels; print held-out figures only.")
    ] = False,
    folds: Annotated[int, typer.Option("--folds", min=2, help="Cross-validation folds for --calibrate.")] = 5,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Compare a run with labels: precision and recall per band, recall per campaign style,
    false positives per benign group kind, cluster purity and adjusted Rand index.

    With --calibrate, fit the scoring weights on the labelled clusters instead (monotone logistic
    regression) and print the held-out precision and recall and the proposed [scoring.weights].

    Example: [bold]graphlink evaluate --labels world/truth/labels.csv[/bold]
    """
    st = state(ctx)
    config = st.config()
    if calibrate_weights:
        with st.database(config, read_only=True) as db:
            cal = calibrate(db, config, labels=labels, run_id=run, folds=folds)
        _show_calibration(cal, as_json)
        return
    with st.database(config, read_only=True) as db:
        ev = evaluate(db, config, labels=labels, run_id=run)
    if as_json:
        emit_json(ev.to_dict())
        return
    info(f"run {ev.run_id} against {ev.labels}: {ev.accounts:,} labelled accounts seen "
         f"({ev.positives:,} positive, {ev.negatives:,} negative; {ev.labelled_unseen:,} labelled accounts "
         f"outside the window)")
    show(table("Accounts flagged by band (medium: high and medium clusters)",
               ["band", "flagged", "tp", "fp", "fn", "precision", "recall"],
               [(b["band"], b["flagged"], b["tp"], b["fp"], b["fn"], _pct(b["precision"]), _pct(b["recall"]))
                for b in ev.bands], justify=_RIGHT))
    show(table("Recall per campaign style",
               ["style", "campaigns", "accounts", "high", "medium+", "recall high", "recall medium+"],
               [(s["style"], s["campaigns"], s["accounts"], s["high"], s["medium_or_high"],
                 _pct(s["recall_high"]), _pct(s["recall_medium"])) for s in ev.styles], justify=_RIGHT))
    if campaigns:
        show(table("Recall per campaign",
                   ["campaign", "style", "accounts", "clusters", "high", "medium+", "recall high"],
                   [(c["campaign_id"], c["style"], c["accounts"], c["clusters"], c["high"], c["medium_or_high"],
                     _pct(c["recall_high"])) for c in ev.campaigns], justify=_RIGHT))
    show(table("Benign accounts flagged, per group kind",
               ["group kind", "groups", "accounts", "high", "medium+", "FPR high", "FPR medium+", "groups flagged"],
               [(g["group_kind"], g["groups"], g["accounts"], g["high"], g["medium_or_high"], _pct(g["fpr_high"]),
                 _pct(g["fpr_medium"]), g["groups_flagged"]) for g in ev.benign], justify=_RIGHT))
    info(f"clusters with labelled members: {ev.clusters:,}; purity {_pct(ev.purity)} "
         f"(high clusters {_pct(ev.purity_high)}); adjusted Rand index "
         f"{'' if ev.ari is None else f'{ev.ari:.3f}'}")
    if ev.unlabelled_high or ev.unlabelled_medium:
        info(f"unlabelled accounts flagged: {ev.unlabelled_high:,} high, {ev.unlabelled_medium:,} medium")


def _show_calibration(cal: Any, as_json: bool) -> None:
    if as_json:
        emit_json(cal.to_dict())
        return
    h = cal.held_out
    info(f"run {cal.run_id} against {cal.labels}: {cal.clusters:,} labelled clusters "
         f"({cal.positive_clusters:,} positive), {cal.folds} folds; figures are held-out only")
    show(table("Held-out accounts of labelled clusters, high band",
               ["flagged", "tp", "fp", "positives", "precision", "recall"],
               [(h["flagged"], h["tp"], h["fp"], h["positives"], _pct(h["precision"]), _pct(h["recall"]))],
               justify=_RIGHT | {"positives": "right"}))
    if cal.left_out:
        info(f"left out of the fit (their feature reads the labels): {', '.join(cal.left_out)}")
    info("proposed weights, fitted on every labelled cluster (paste into graphlink.toml):")
    typer.echo(cal.toml(), nl=False)
