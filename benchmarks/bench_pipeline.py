"""Scale and quality benchmark of ``graphlink detect`` on a synthetic world.

Generates a world with :func:`graphlink.synth.generate` (about 12 requests per
account over 28 days, planted distillation campaigns and benign look-alikes:
CGNAT, campuses, enterprises, families, public templates ...), loads it,
runs :func:`graphlink.pipeline.detect` and prints, per step, the wall time
and the peak resident memory of the process (DuckDB runs in-process, so this
includes it), the graph's edge counts per identifier kind, and how well the
clusters recover the planted campaigns.

``--compare-bipartite`` also runs Leiden directly on the bipartite account <->
identifier graph (same hubs, weights and resolution) and prints the same
quality figures: the measurement behind clustering the projection instead
(see :mod:`graphlink.graph`).

Usage::

    python benchmarks/bench_pipeline.py --requests 1000000
    python benchmarks/bench_pipeline.py --requests 10000000 --threads 2   # the full-scale figures
    python benchmarks/bench_pipeline.py --requests 200000 --compare-bipartite

Not run by the test suite.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import igraph
import numpy as np
import pyarrow as pa

from graphlink.communities import leiden
from graphlink.config import Config
from graphlink.db import Database
from graphlink.pipeline import detect
from graphlink.synth import accounts_for_requests, generate
from peak_memory import PeakMemory  # benchmarks/ is on sys.path when run as a script



class StepClock:
    """A progress callback recording the time and peak memory of every step of detect."""

    def __init__(self, memory: PeakMemory):
        self.memory = memory
        self.rows: list[tuple[str, float, int]] = []
        self._step: str | None = None
        self._t0 = time.perf_counter()

    def __call__(self, step: str) -> None:
        self.close()
        self._step, self._t0 = step, time.perf_counter()
        self.memory.take()

    def close(self) -> None:
        if self._step is not None:
            self.rows.append((self._step, time.perf_counter() - self._t0, self.memory.take()))
            self._step = None


def _gb(n: int) -> str:
    return f"{n / 2**30:.2f} GiB"


# -- loading -------------------------------------------------------------------------


LOAD_SQL = {
    "accounts": "INSERT INTO accounts (account_id, created_at, org_id, email_domain, country, tier, status) "
                "SELECT account_id, created_at, org_id, email_domain, country, tier, status FROM read_parquet($p)",
    "payment_methods": "INSERT INTO payment_methods (account_id, payment_fingerprint, method_type, card_bin, "
                       "billing_country, added_at) SELECT account_id, payment_fingerprint, method_type, card_bin, "
                       "billing_country, added_at FROM read_parquet($p)",
    "requests": "INSERT INTO requests (request_id, account_id, ts, ip, ip_version, ip_num, ip_prefix, "
                "device_fingerprint, user_agent, api_key_id, model, prompt, prompt_tokens, completion_tokens) "
                "SELECT request_id, account_id, ts, ip_text(p.version, p.num), p.version, p.num, "
                "ip_prefix(p.version, p.num), device_fingerprint, user_agent, api_key_id, model, prompt, "
                "prompt_tokens, completion_tokens FROM (SELECT *, ip_parse(ip) AS p FROM read_parquet($p))",
}


def load(db: Database, world: Path, via: str) -> str:
    """Load the world with graphlink.ingest (*via* ``ingest``) or straight from its Parquet files."""
    if via == "ingest":
        from graphlink.ingest import ingest

        paths = [str(world / "accounts.parquet"), str(world / "payment_methods.parquet"),
                 str(world / "ip_intel.parquet"), str(world / "requests")]
        ingest(db, Config(), paths)
        return "graphlink.ingest"
    for table, sql in LOAD_SQL.items():
        path = world / ("requests/*.parquet" if table == "requests" else f"{table}.parquet")
        db.execute(sql, {"p": str(path)}, name=f"load {table}")
    return "read_parquet"


# -- quality -------------------------------------------------------------------------------


QUALITY_SQL = """
WITH truth AS (
    SELECT account_id, label, campaign_id, group_id FROM read_parquet($labels)
),
found AS (
    SELECT p.account_id, p.cluster, t.label, t.campaign_id, t.group_id
    FROM partition AS p JOIN truth AS t USING (account_id)
    WHERE p.cluster IS NOT NULL
),
sizes AS (SELECT cluster, count(*) AS n FROM found GROUP BY cluster),
overlap AS (
    SELECT campaign_id, cluster, count(*) AS k FROM found WHERE campaign_id IS NOT NULL GROUP BY ALL
),
campaigns AS (SELECT campaign_id, count(*) AS n FROM truth WHERE campaign_id IS NOT NULL GROUP BY campaign_id),
best AS (
    SELECT c.campaign_id, c.n, coalesce(max(o.k), 0) AS k, arg_max(s.n, o.k) AS cluster_size
    FROM campaigns AS c LEFT JOIN overlap AS o USING (campaign_id) LEFT JOIN sizes AS s USING (cluster)
    GROUP BY ALL
),
same_group AS (   -- co-clustered pairs of one true group (campaign, family, enterprise ...)
    SELECT sum(k * (k - 1) / 2) AS pairs
    FROM (SELECT cluster, group_id, count(*) AS k FROM found WHERE group_id IS NOT NULL GROUP BY ALL)
),
group_pairs AS (
    SELECT sum(k * (k - 1) / 2) AS pairs
    FROM (SELECT group_id, count(*) AS k FROM truth WHERE group_id IS NOT NULL GROUP BY ALL)
)
SELECT count(*) AS campaigns,
       avg(k / n) AS recall,
       avg(CASE WHEN k > 0 THEN k / cluster_size ELSE 0 END) AS precision,
       avg(CASE WHEN k / n >= 0.9 AND k / cluster_size >= 0.9 THEN 1 ELSE 0 END) AS exact_share,
       (SELECT pairs FROM same_group) / (SELECT sum(n * (n - 1) / 2) FROM sizes) AS pair_precision,
       (SELECT pairs FROM same_group) / (SELECT pairs FROM group_pairs) AS pair_recall,
       (SELECT count(*) FROM found WHERE group_id IS NULL) AS strangers,
       (SELECT count(*) FROM sizes) AS clusters,
       (SELECT max(n) FROM sizes) AS largest,
       (SELECT count(*) FROM found) AS clustered
FROM best
"""


def quality(db: Database, partition: pa.Table, labels: Path) -> dict:
    """How well a partition (account_id, cluster) recovers the planted groups.

    recall / precision: per campaign, the share of it in its best cluster and
    that share of the cluster, averaged; exact_share: campaigns found with
    both >= 0.9.  pair_precision: co-clustered pairs in one true group (a
    campaign, family, enterprise, campus ...); pair_recall: pairs of a true
    group that are co-clustered.  strangers: clustered accounts of no group.
    """
    db.register("partition", partition)
    try:
        cur = db.execute(QUALITY_SQL, {"labels": str(labels)}, name="quality")
        cols = [d[0] for d in cur.description]
        return dict(zip(cols, cur.fetchall()[0]))
    finally:
        db.unregister("partition")


def projection_partition(db: Database, run_id: int) -> pa.Table:
    return db.execute("SELECT account_id, cluster_id AS cluster FROM run_members WHERE run_id = $r",
                      {"r": run_id}).to_arrow_table()


BIPARTITE_SQL = """
WITH ids AS (
    SELECT iid, (row_number() OVER (ORDER BY iid) - 1 + $n)::BIGINT AS vid, weight
    FROM graph_identifiers WHERE NOT is_hub
)
SELECT m.aid::BIGINT AS a, i.vid AS b, i.weight
FROM graph_memberships m JOIN ids i USING (iid)
ORDER BY a, b
"""


def bipartite_partitions(db: Database, config: Config, resolutions: list[float]) -> dict[str, pa.Table]:
    """Leiden on the bipartite graph (accounts + non-hub shared identifiers), per objective / resolution."""
    from graphlink.graph import build_graph, graph_sizes

    build_graph(db, config)
    sizes = graph_sizes(db)
    n = sizes["n_accounts"]
    arrays = db.execute(BIPARTITE_SQL, {"n": n}, name="bipartite").fetchnumpy()
    n_total = n + sizes["n_identifiers"]
    g = igraph.Graph(n=n_total, edges=np.column_stack([arrays["a"], arrays["b"]]), directed=False)
    g.es["weight"] = arrays["weight"].tolist()
    accounts = db.execute("SELECT account_id FROM graph_accounts ORDER BY aid").fetchnumpy()["account_id"]
    out = {}
    variants = [("CPM", r) for r in resolutions] + [("modularity", 1.0)]
    for objective, resolution in variants:
        cc = Config().communities
        cc.objective, cc.resolution = objective, resolution
        membership, _ = leiden(g, cc)
        memb = membership[:n]
        sizes = np.bincount(memb)
        keep = sizes[memb] >= 2
        out[f"bipartite {objective} {resolution}"] = pa.table({
            "account_id": pa.array(accounts[keep].tolist()),
            "cluster": pa.array(memb[keep]),
        })
    return out


# -- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=1_000_000, help="about this many requests (default 1M)")
    ap.add_argument("--days", type=int, default=28)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", type=int, default=None, help="DuckDB threads")
    ap.add_argument("--memory-limit", default=None, help="DuckDB memory limit, e.g. 8GB")
    ap.add_argument("--workdir", default=None, help="keep the world and database here (default: a temp dir)")
    ap.add_argument("--via", choices=["parquet", "ingest"], default="parquet",
                    help="load with graphlink.ingest, or straight from Parquet (default; times detect only)")
    ap.add_argument("--compare-bipartite", action="store_true")
    ap.add_argument("--resolution", type=float, default=None, help="override communities.resolution")
    ap.add_argument("--reuse", action="store_true",
                    help="reuse the world and database already in --workdir (detect runs again)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)

    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="graphlink-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    world, dbfile = work / "world", work / "bench.duckdb"
    memory = PeakMemory()
    figures: dict = {"requests_asked": args.requests}
    try:
        reuse = args.reuse and dbfile.exists() and (world / "truth" / "world.json").exists()
        if reuse:
            manifest = json.loads((world / "truth" / "world.json").read_text())
            figures["synth"] = {"accounts": manifest.get("accounts"), "rows": manifest.get("rows", {}),
                                "seconds": 0.0, "campaigns": len(manifest.get("campaigns", []))}
        else:
            accounts = accounts_for_requests(args.requests, args.days)
            t0 = time.perf_counter()
            synth = generate(world, accounts=accounts, days=args.days, seed=args.seed, fmt="parquet",
                             overwrite=True)
            figures["synth"] = {"accounts": accounts, "rows": synth.rows,
                                "seconds": round(time.perf_counter() - t0, 1), "campaigns": len(synth.campaigns)}
            if dbfile.exists():
                dbfile.unlink()
        config = Config()
        if args.resolution is not None:
            config.communities.resolution = args.resolution
        with Database(dbfile, threads=args.threads, memory_limit=args.memory_limit) as db:
            memory.take()
            t0 = time.perf_counter()
            via = "reused" if reuse else load(db, world, args.via)
            figures["load"] = {"via": via, "seconds": round(time.perf_counter() - t0, 1), "peak_rss": memory.take()}
            clock = StepClock(memory)
            t0 = time.perf_counter()
            run = detect(db, config, progress=clock)
            clock.close()
            figures["detect_seconds"] = round(time.perf_counter() - t0, 1)
            figures["steps"] = [{"step": s, "seconds": round(t, 2), "peak_rss": m} for s, t, m in clock.rows]
            figures["graph"] = run.graph.to_dict()
            figures["communities"] = run.communities.to_dict()
            labels = world / "truth" / "labels.parquet"
            figures["quality"] = {"projection (detect)": quality(db, projection_partition(db, run.run_id), labels)}
            if args.compare_bipartite:
                for name, part in bipartite_partitions(db, config, [config.communities.resolution, 0.02]).items():
                    figures["quality"][name] = quality(db, part, labels)
    finally:
        memory.close()
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)

    if args.json:
        print(json.dumps(figures, indent=2, default=str))
        return 0
    s = figures["synth"]
    print(f"world: {s['accounts']:,} accounts, {s['rows']['requests']:,} requests, {s['campaigns']} campaigns "
          f"(generated in {s['seconds']} s); loaded via {figures['load']['via']} in {figures['load']['seconds']} s, "
          f"peak {_gb(figures['load']['peak_rss'])}")
    print(f"\ndetect: {figures['detect_seconds']} s")
    print(f"{'step':32} {'seconds':>9} {'peak RSS':>11}")
    for row in figures["steps"]:
        print(f"{row['step']:32} {row['seconds']:9.2f} {_gb(row['peak_rss']):>11}")
    g = figures["graph"]
    print(f"\ngraph: {g['n_edges']:,} account-identifier edges, {g['n_identifiers']:,} identifiers, "
          f"{g['n_shared']:,} shared, {g['n_hubs']:,} hubs; {g['n_accounts']:,} linked accounts, "
          f"{g['n_memberships']:,} edges to shared identifiers, {g['n_links']:,} account links "
          f"({g['n_links'] / max(g['n_accounts'], 1):.1f} per linked account)")
    print(f"{'kind':14} {'edges':>12} {'identifiers':>12} {'shared':>9} {'hubs':>7} {'pairs':>12}")
    for kind, v in g["by_kind"].items():
        print(f"{kind:14} {v['n_edges']:12,} {v['n_identifiers']:12,} {v['n_shared']:9,} {v['n_hubs']:7,} "
              f"{v['n_pairs']:12,}")
    c = figures["communities"]
    print(f"\ncommunities: {c['n_clusters']:,} clusters holding {c['n_clustered']:,} accounts, largest "
          f"{c['largest_cluster']:,}; {c['n_components']:,} components, largest {c['largest_component']:,}")
    print(f"\n{'partition':28} {'recall':>7} {'precision':>9} {'exact':>6} {'pair P':>7} {'pair R':>7} "
          f"{'strangers':>9} {'clusters':>9} {'largest':>8}")
    for name, q in figures["quality"].items():
        print(f"{name:28} {q['recall']:7.3f} {q['precision']:9.3f} {q['exact_share']:6.2f} "
              f"{q['pair_precision'] or 0:7.3f} {q['pair_recall'] or 0:7.3f} {q['strangers']:9,} "
              f"{q['clusters']:9,} {q['largest'] or 0:8,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
