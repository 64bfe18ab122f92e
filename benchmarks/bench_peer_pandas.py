"""The pipeline's steps written the way a data scientist would: pandas and networkx Louvain.

A peer for :mod:`bench_scale`: on the same synthetic world it loads the
Parquet files into pandas, derives a crude prompt template (the first line,
lower-cased, digits masked) and the reasoning / grading phrase flags with
``str.contains``, builds account <-> identifier pairs (IP, device, API key,
payment fingerprint, template), drops identifiers used by more accounts than
the hub caps of graphlink's default config, projects to account pairs with a
self-merge, clusters with ``networkx.community.louvain_communities`` and
scores every cluster of two or more accounts from a few per-cluster
aggregates.  It prints the wall time, peak RSS and counts per step.

pandas is not a dependency of graphlink: ``pip install -e '.[bench]'``.

Usage::

    python benchmarks/bench_peer_pandas.py --world benchmarks/worlds/1m/world
    python benchmarks/bench_peer_pandas.py --world WORLD --json   # what bench_scale.py reads

Not run by the test suite.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from graphlink.config import Config

KINDS = {"ip": "ip", "device": "device_fingerprint", "api_key": "api_key_id", "template": "template"}


def _rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def run(world: Path, seed: int = 42) -> dict:
    """Every step on *world*; returns the figures."""
    config = Config()
    caps = {k: v.hub_cap for k, v in config.graph.kinds.items()}
    steps: list[dict] = []
    t_all = time.perf_counter()

    def step(name: str, t0: float, **counts) -> None:
        steps.append({"step": name, "seconds": round(time.perf_counter() - t0, 2), "peak_rss": _rss(), **counts})

    t0 = time.perf_counter()
    req = pd.read_parquet(world / "requests", columns=["request_id", "account_id", "ts", "ip", "device_fingerprint",
                                                        "api_key_id", "prompt", "model"])
    pay = pd.read_parquet(world / "payment_methods.parquet", columns=["account_id", "payment_fingerprint"])
    step("load", t0, requests=len(req))

    t0 = time.perf_counter()
    first = req["prompt"].fillna("").str.split("\n", n=1).str[0].str.lower().str.replace(r"\d+", "0", regex=True)
    req["template"] = first.str.slice(0, 80).where(first.str.len() >= 20)
    reasoning = "|".join(re.escape(p) for p in config.templates.reasoning_phrases)
    grading = "|".join(re.escape(p) for p in config.templates.grading_phrases)
    req["reasoning"] = req["prompt"].str.contains(reasoning, case=False, regex=True, na=False)
    req["grading"] = req["prompt"].str.contains(grading, case=False, regex=True, na=False)
    req = req.drop(columns=["prompt"])
    step("templates", t0, templated=int(req["template"].notna().sum()))

    t0 = time.perf_counter()
    parts = []
    for kind, col in KINDS.items():
        p = req[["account_id", col]].dropna().drop_duplicates()
        p.columns = ["account_id", "value"]
        p["kind"] = kind
        parts.append(p)
    p = pay.dropna().drop_duplicates()
    p.columns = ["account_id", "value"]
    p["kind"] = "payment"
    parts.append(p)
    memb = pd.concat(parts, ignore_index=True)
    degree = memb.groupby(["kind", "value"])["account_id"].transform("size")
    cap = memb["kind"].map(caps).fillna(1000)
    memb = memb[(degree >= 2) & (degree <= cap)].copy()
    memb["w"] = 1.0 / np.log2(1 + degree[memb.index])
    pairs = memb.merge(memb, on=["kind", "value"], suffixes=("_a", "_b"))
    pairs = pairs[pairs["account_id_a"] < pairs["account_id_b"]]
    links = pairs.groupby(["account_id_a", "account_id_b"], as_index=False)["w_a"].sum()
    step("graph", t0, memberships=len(memb), edges=len(links))

    t0 = time.perf_counter()
    g = nx.Graph()
    g.add_weighted_edges_from(links.itertuples(index=False, name=None))
    communities = nx.community.louvain_communities(g, weight="weight", seed=seed)
    clusters = {a: i for i, c in enumerate(communities) if len(c) >= 2 for a in c}
    step("communities", t0, clusters=sum(1 for c in communities if len(c) >= 2), clustered=len(clusters))

    t0 = time.perf_counter()
    req["cluster"] = req["account_id"].map(clusters)
    m = req.dropna(subset=["cluster"])
    f = m.groupby("cluster").agg(
        n=("request_id", "size"), accounts=("account_id", "nunique"), reasoning=("reasoning", "mean"),
        grading=("grading", "mean"), templated=("template", "count"), models=("model", "nunique"),
        span_h=("ts", lambda s: (s.max() - s.min()).total_seconds() / 3600),
    )
    top = m.groupby(["cluster", "template"]).size().groupby(level=0).max()
    f["top_template_share"] = (top / f["n"]).fillna(0)
    f["score"] = (0.4 * f["reasoning"].clip(0, 1) + 0.3 * f["top_template_share"] + 0.2 * f["grading"]
                  + 0.1 * np.minimum(f["accounts"] / 50, 1))
    step("scoring", t0, scored=len(f))

    return {"seconds": time.perf_counter() - t_all, "peak_rss": _rss(), "steps": steps,
            "counts": {"requests": len(req), "edges": int(len(links)), "clusters": int(len(f))}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--world", required=True, help="a world written by graphlink synth (Parquet)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    args = ap.parse_args(argv)
    figures = run(Path(args.world), args.seed)
    if args.json:
        print(json.dumps(figures, default=str))
        return 0
    print(f"{'step':14} {'seconds':>8} {'peak RSS':>10}  counts")
    for s in figures["steps"]:
        counts = ", ".join(f"{k} {v:,}" for k, v in s.items() if k not in ("step", "seconds", "peak_rss"))
        print(f"{s['step']:14} {s['seconds']:8.1f} {s['peak_rss'] / 2**30:8.2f} GiB  {counts}")
    print(f"{'total':14} {figures['seconds']:8.1f} {figures['peak_rss'] / 2**30:8.2f} GiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
