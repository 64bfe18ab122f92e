"""Compare a run's verdicts with known labels.

:func:`evaluate` reads labels (a labels file in the data contract's format,
or the ``labels`` table) and the verdicts of a scored run, and measures, at
account level:

- **precision and recall per band**: flagging the accounts of ``high``
  clusters, then of ``high`` and ``medium`` clusters (an account in several
  clusters takes its highest-scoring one);
- **recall per campaign and per campaign style** (style: the ``group_kind``
  column of the labels when present, else the campaign id without its
  trailing number);
- **false-positive rate per benign group kind**, when the labels carry
  ``group_kind`` / ``group_id`` (extra columns; the synthetic worlds of
  ``graphlink synth`` write them);
- **cluster purity** (share of clustered labelled accounts in their
  cluster's largest true class) and the **adjusted Rand index** between the
  run's partition (clusters; unclustered accounts alone) and the true one
  (campaigns; benign groups; other accounts alone).

Only labelled accounts the run could see count: those with a request in its
window or in one of its clusters.  Labels whose ``label`` is in
``scoring.bad_labels`` (default ``distillation``) are positives; every other
label is a negative.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pyarrow as pa

from .config import Config
from .db import Database
from .errors import InputError, NotFoundError
from .scoring import account_verdicts, scored_run

__all__ = [
    "Evaluation",
    "evaluate",
    "read_labels_file",
    "adjusted_rand_index",
    "peer_components",
    "peer_dense_blocks",
    "truth_run",
    "Calibration",
    "calibrate",
    "LABEL_COLUMNS",
]

LABEL_COLUMNS = ("account_id", "label", "campaign_id", "group_id", "group_kind", "labeled_at")
"""Columns of a labels file that evaluation reads (the rest is ignored)."""


# -- adjusted Rand index ---------------------------------------------------------------


def _pairs(counts: np.ndarray) -> float:
    c = counts.astype(np.float64)
    return float(np.sum(c * (c - 1) / 2))


def adjusted_rand_index(a: np.ndarray, b: np.ndarray) -> float:
    """Adjusted Rand index of two partitions given as integer labels per item.

    Computed from the contingency table (Hubert and Arabie, 1985)::

        index    = sum_ij C(n_ij, 2)
        expected = sum_i C(a_i, 2) * sum_j C(b_j, 2) / C(n, 2)
        maximum  = (sum_i C(a_i, 2) + sum_j C(b_j, 2)) / 2
        ARI      = (index - expected) / (maximum - expected)

    1 for identical partitions, about 0 for independent ones.  When both
    partitions are trivial in the same way (maximum == expected) it is 1.
    O(n log n) for the contingency counts.
    """
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    if a.shape != b.shape:
        raise ValueError("the two partitions must label the same items")
    n = a.size
    if n < 2:
        return 1.0
    _, a_codes = np.unique(a, return_inverse=True)
    _, b_codes = np.unique(b, return_inverse=True)
    joint = a_codes.astype(np.int64) * (int(b_codes.max()) + 1) + b_codes
    _, n_ij = np.unique(joint, return_counts=True)
    index = _pairs(n_ij)
    sum_a = _pairs(np.bincount(a_codes))
    sum_b = _pairs(np.bincount(b_codes))
    expected = sum_a * sum_b / (n * (n - 1) / 2)
    maximum = (sum_a + sum_b) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)


# -- peer detectors -----------------------------------------------------------------
#
# Two simple detectors run on the same account-identifier edges as a run, so
# that the gain of clustering plus scoring is visible.  Each returns verdicts
# (account_id, cluster_id, score, band) for :func:`evaluate`; every account
# they put in a group is flagged ``high``.


def _peer_edges(db: Database, run_id: int, max_degree: int) -> dict[str, np.ndarray]:
    return db.fetch_numpy("evaluate/peer_edges", {"run_id": int(run_id), "max_degree": int(max_degree)})


def _peer_verdicts(accounts: np.ndarray, groups: np.ndarray, prefix: str) -> pa.Table:
    """Verdicts for accounts in groups (-1: no group); cluster id = prefix + smallest member."""
    keep = groups >= 0
    accounts, groups = accounts[keep], groups[keep]
    order = np.lexsort((accounts, groups))
    accounts, groups = accounts[order], groups[order]
    first = np.concatenate([[True], groups[1:] != groups[:-1]]) if groups.size else np.zeros(0, bool)
    leader = accounts[first][np.cumsum(first) - 1] if groups.size else accounts
    return pa.table({
        "account_id": pa.array(accounts.tolist(), pa.string()),
        "cluster_id": pa.array([prefix + str(x) for x in leader.tolist()], pa.string()),
        "score": pa.array(np.full(accounts.size, 100.0)),
        "band": pa.array(["high"] * accounts.size, pa.string()),
    })


def peer_components(db: Database, run_id: int, *, max_degree: int = 10, min_size: int = 2) -> pa.Table:
    """Peer 1: connected components over identifiers shared by at most *max_degree* accounts.

    The run's account-identifier edges (``run_edges``) whose identifier at
    most *max_degree* accounts share form a bipartite graph; every
    component with at least *min_size* accounts is flagged.
    """
    import igraph as ig

    e = _peer_edges(db, run_id, max_degree)
    acc, ident = np.asarray(e["acc"], np.int64), np.asarray(e["ident"], np.int64)
    if acc.size == 0:
        return _peer_verdicts(np.zeros(0, object), np.zeros(0, np.int64), "K-")
    n_acc = int(acc.max()) + 1
    graph = ig.Graph(n=n_acc + int(ident.max()) + 1, edges=np.column_stack([acc, ident + n_acc]).tolist())
    membership = np.asarray(graph.connected_components().membership)[:n_acc]
    sizes = np.bincount(membership)
    names = np.empty(n_acc, dtype=object)
    names[acc] = np.asarray(e["account_id"], dtype=object)
    groups = np.where(sizes[membership] >= min_size, membership, -1)
    return _peer_verdicts(names, groups, "K-")


def peer_dense_blocks(db: Database, run_id: int, *, max_blocks: int = 50, min_density_ratio: float = 0.5,
                      min_rows: int = 2) -> pa.Table:
    """Peer 2: FRAUDAR-style dense blocks (:mod:`graphlink.denseblock`) of the run's account-identifier graph.

    Uses every edge of ``run_edges`` (hubs too: the column weighting
    discounts popular identifiers); the accounts of every block found are
    flagged.
    """
    from .denseblock import dense_blocks

    e = _peer_edges(db, run_id, 2**62)
    acc, ident = np.asarray(e["acc"], np.int64), np.asarray(e["ident"], np.int64)
    if acc.size == 0:
        return _peer_verdicts(np.zeros(0, object), np.zeros(0, np.int64), "B-")
    n_acc, n_ident = int(acc.max()) + 1, int(ident.max()) + 1
    names = np.empty(n_acc, dtype=object)
    names[acc] = np.asarray(e["account_id"], dtype=object)
    groups = np.full(n_acc, -1, dtype=np.int64)
    for i, block in enumerate(dense_blocks(acc, ident, n_acc, n_ident, max_blocks=max_blocks,
                                           min_density_ratio=min_density_ratio, min_rows=min_rows)):
        groups[block.rows] = i
    return _peer_verdicts(names, groups, "B-")


def truth_run(db: Database, config: Config, labels: str | Path, *, like_run: int) -> int:
    """Record the true groups of a labels file as a scored run: what scoring does with perfect clusters.

    A diagnostic for the quality benchmark: a new run over the window of
    *like_run* whose clusters are the campaigns and benign groups of the
    labels (accounts seen in the window), scored by
    :func:`graphlink.scoring.score_run`.  Separates what clustering loses
    from what scoring loses.  Returns the new run's id.
    """
    import datetime as dt

    from .scoring import score_run

    ((exists,),) = db.execute("SELECT count(*) FROM runs WHERE run_id = $r", {"r": int(like_run)}).fetchall()
    if not exists:
        raise NotFoundError(f"run {like_run} does not exist")
    with _truth(db, config, labels), db.transaction():
        ((run,),) = db.run("evaluate/truth_run", {
            "like_run": int(like_run), "started_at": dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
            "config": config.to_json(),
        }).fetchall()
        db.run("evaluate/truth_members", {"run_id": run})
        db.run("evaluate/truth_clusters", {"run_id": run})
        score_run(db, config, run)
    return int(run)


# -- labels -------------------------------------------------------------------------


def _read_table(path: Path) -> pa.Table:
    name = path.name.lower()
    stem = name[:-3] if name.endswith(".gz") else name
    try:
        if stem.endswith(".csv"):
            import pyarrow.csv as pacsv

            return pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
        if stem.endswith((".jsonl", ".ndjson", ".json")):
            import pyarrow.json as pajson

            return pajson.read_json(path)
        if stem.endswith(".parquet"):
            import pyarrow.parquet as pq

            return pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"cannot read labels file {path}: {str(exc).splitlines()[0]}") from None
    raise InputError(f"labels file {path}: unknown format (expected .csv, .jsonl, .ndjson or .parquet, optionally .gz)")


def read_labels_file(path: str | Path, mapping: dict[str, str] | None = None) -> pa.Table:
    """Read a labels file (CSV, JSON Lines or Parquet) into the columns of :data:`LABEL_COLUMNS`.

    Column names match case-insensitively; *mapping* renames source columns
    to contract names first (``config.ingest.mapping``).  Missing optional
    columns become NULL.

    Raises
    ------
    InputError : the file is missing, unreadable, or lacks ``account_id`` or ``label``.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"labels file {path} does not exist")
    table = _read_table(path)
    lower_map = {k.lower(): v.lower() for k, v in (mapping or {}).items()}
    names = [lower_map.get(c.lower(), c.lower()) for c in table.column_names]
    table = table.rename_columns(names)
    missing = [c for c in ("account_id", "label") if c not in names]
    if missing:
        raise InputError(
            f"labels file {path} lacks column(s) {', '.join(missing)}; found: {', '.join(table.column_names)}"
        )
    columns = {}
    for col in LABEL_COLUMNS:
        if col in names:
            arr = table.column(names.index(col))
            keep = col == "labeled_at" and pa.types.is_timestamp(arr.type)
            columns[col] = arr if keep else arr.cast(pa.string())
        else:
            columns[col] = pa.nulls(table.num_rows, pa.string())
    return pa.table(columns)


# -- evaluation ---------------------------------------------------------------------


@dataclass
class Evaluation:
    """The figures of one evaluation (see the module docstring for definitions)."""

    run_id: int
    labels: str
    labelled: int
    labelled_unseen: int
    accounts: int
    positives: int
    negatives: int
    bands: list[dict[str, Any]] = field(default_factory=list)
    styles: list[dict[str, Any]] = field(default_factory=list)
    campaigns: list[dict[str, Any]] = field(default_factory=list)
    benign: list[dict[str, Any]] = field(default_factory=list)
    clusters: int = 0
    purity: float | None = None
    purity_high: float | None = None
    label_purity: float | None = None
    label_purity_high: float | None = None
    ari: float | None = None
    unlabelled_high: int = 0
    unlabelled_medium: int = 0

    def band(self, name: str) -> dict[str, Any]:
        """The precision / recall row of band ``high`` or ``medium`` (medium = high and medium flagged)."""
        for row in self.bands:
            if row["band"] == name:
                return row
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _ratio(num: float, den: float) -> float | None:
    return None if not den else num / den


def evaluate(db: Database, config: Config, *, labels: str | Path | None = None,
             run_id: int | None = None, verdicts: pa.Table | None = None) -> Evaluation:
    """Evaluate a scored run (default: the latest) against labels.

    Parameters
    ----------
    db : the database holding the run.
    config : ``scoring.bad_labels`` names the positive labels;
        ``ingest.mapping`` renames labels-file columns.
    labels : a labels file; ``None`` uses the database's ``labels`` table.
    run_id : the run to evaluate; default the latest scored run.
    verdicts : evaluate these verdicts instead of the run's own, over the
        run's window: a table ``account_id, cluster_id, score, band`` with
        one row per flagged or clustered account (how peer detectors are
        compared on the same data).

    Raises
    ------
    NotFoundError : no scored run, or no labels.
    InputError : the labels file cannot be read.
    """
    run = scored_run(db, run_id)
    with _truth(db, config, labels) as source:
        db.register("eval_verdicts", verdicts if verdicts is not None else account_verdicts(db, run))
        try:
            db.run("evaluate/eval_accounts", {"run_id": run})
            return _figures(db, run, source)
        finally:
            db.unregister("eval_verdicts")
            db.drop_tables("eval_accounts")


@contextmanager
def _truth(db: Database, config: Config, labels: str | Path | None) -> Iterator[str]:
    """Temporary table ``eval_labels`` from a labels file or the labels table; yields the source's name."""
    table = read_labels_file(labels, config.ingest.mapping) if labels is not None else None
    try:
        if table is not None:
            db.register("labels_source", table)
        else:
            db.script("evaluate/labels_from_db")
        db.run("evaluate/eval_labels", {"positive_labels": [x.lower() for x in config.scoring.bad_labels]})
        yield str(labels) if labels is not None else "labels table"
    finally:
        if table is not None:
            db.unregister("labels_source")
        else:
            db.execute("DROP VIEW IF EXISTS labels_source")
        db.drop_tables("eval_labels")


def _figures(db: Database, run: int, source: str) -> Evaluation:
    extra = db.fetch_dicts("evaluate/unlabelled")[0]
    if not extra["labelled"]:
        raise NotFoundError(f"no labels in {source}")
    bands = []
    for row in db.fetch_dicts("evaluate/band_metrics"):
        row["precision"] = _ratio(row["tp"], row["flagged"])
        row["recall"] = _ratio(row["tp"], row["positives"])
        row["fpr"] = _ratio(row["fp"], row["negatives"])
        bands.append(row)
    positives = bands[0]["positives"] if bands else 0
    negatives = bands[0]["negatives"] if bands else 0
    styles = db.fetch_dicts("evaluate/style_recall")
    campaigns = db.fetch_dicts("evaluate/campaign_recall")
    for row in styles + campaigns:
        row["recall_high"] = _ratio(row["high"], row["accounts"])
        row["recall_medium"] = _ratio(row["medium_or_high"], row["accounts"])
    benign = db.fetch_dicts("evaluate/benign_groups")
    for row in benign:
        row["fpr_high"] = _ratio(row["high"], row["accounts"])
        row["fpr_medium"] = _ratio(row["medium_or_high"], row["accounts"])
    purity = db.fetch_dicts("evaluate/cluster_purity")[0]
    codes = db.fetch_numpy("evaluate/partition_codes")
    ari = adjusted_rand_index(np.asarray(codes["pred"]), np.asarray(codes["truth"])) if len(codes["pred"]) else None
    return Evaluation(
        run_id=run, labels=source,
        labelled=int(extra["labelled"]), labelled_unseen=int(extra["labelled_unseen"]),
        accounts=int(positives + negatives), positives=int(positives), negatives=int(negatives),
        bands=bands, styles=styles, campaigns=campaigns, benign=benign,
        clusters=int(purity["clusters"] or 0),
        purity=_float(purity["purity"]), purity_high=_float(purity["purity_high"]),
        label_purity=_float(purity["label_purity"]), label_purity_high=_float(purity["label_purity_high"]),
        ari=ari, unlabelled_high=int(extra["unlabelled_high"]), unlabelled_medium=int(extra["unlabelled_medium"]),
    )


def _float(x: Any) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


# -- calibration ---------------------------------------------------------------------

LEAKY_EVIDENCE = ("ban_evasion",)
"""Evidence left out of calibration: its feature reads the labels table (``scoring.bad_labels``)."""


@dataclass
class Calibration:
    """Weights fitted on labels, with held-out figures only.

    ``held_out`` pools, over the folds, the labelled members of the
    held-out clusters scored with weights fitted on the other folds:
    ``flagged``, ``tp``, ``fp``, ``positives`` (positive members of held-out
    clusters), ``precision``, ``recall``.  ``weights`` are fitted on every
    labelled cluster and proposed for ``[scoring.weights]``; evidence in
    ``left_out`` keeps its configured weight.
    """

    run_id: int
    labels: str
    clusters: int
    positive_clusters: int
    folds: int
    held_out: dict[str, Any]
    weights: dict[str, float]
    left_out: list[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def toml(self) -> str:
        """The proposed weights as a ``[scoring.weights]`` table."""
        lines = ["[scoring.weights]"] + [f"{k} = {v:.1f}" for k, v in sorted(self.weights.items())]
        return "\n".join(lines) + "\n"


def _design(features: dict[str, np.ndarray], evidence: tuple, config: Config) -> np.ndarray:
    """Per cluster and evidence, the strength as the score counts it: in full (behaviour), times
    the size factor (coordination), minus it times the size factor (mitigating, linearised)."""
    from .scoring import feature_column, size_factor, strengths

    s = strengths(features, evidence)
    n = feature_column(features, "n_accounts", s.shape[0])
    g = np.nan_to_num(size_factor(n, config.scoring.full_size))
    b = (np.nan_to_num(n) >= 2).astype(float)
    factor = {"behaviour": b, "coordination": g, "mitigating": -g}
    return np.column_stack([s[:, j] * factor[e.kind] for j, e in enumerate(evidence)]) if evidence else s


def _fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = 1e-3, steps: int = 3000) -> tuple[float, np.ndarray]:
    """Weighted logistic regression with non-negative coefficients (projected gradient descent)."""
    w = w / w.sum()
    coef = np.zeros(x.shape[1])
    b0 = 0.0
    lipschitz = 0.25 * float(np.linalg.norm(x * np.sqrt(w)[:, None], 2) ** 2 + 1.0) + l2
    step = 1.0 / lipschitz
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(b0 + x @ coef)))
        r = (p - y) * w
        b0 -= step * r.sum()
        coef = np.maximum(coef - step * (x.T @ r + l2 * coef), 0.0)
    return b0, coef


def _points(b0: float, coef: np.ndarray, high: float) -> np.ndarray:
    """Coefficients as points: logit 0 (p = 0.5) lands on the ``high`` threshold."""
    return coef * (high / -b0) if b0 < 0 else coef * high


def calibrate(db: Database, config: Config, *, labels: str | Path | None = None, run_id: int | None = None,
              folds: int = 5, seed: int = 0) -> Calibration:
    """Fit the evidence weights on labelled clusters; report held-out figures only.

    A cluster is positive when at least half of its labelled members carry a
    positive label.  The model is a logistic regression on the evidence
    strengths as the score counts them (:func:`_design`), weighted by
    labelled members, with non-negative coefficients so the score stays
    monotone; coefficients become points so that probability 0.5 sits at
    ``scoring.high``.  Clusters are split into *folds* (seeded); each fold is
    scored with weights fitted on the others, and only those held-out
    figures are reported.  Evidence whose feature reads the labels
    (:data:`LEAKY_EVIDENCE`) is left out of the fit and of the held-out
    scores.

    Raises
    ------
    NotFoundError : no scored run, no labels, or fewer than two labelled
        clusters of each class.
    """
    from dataclasses import replace

    from .scoring import evidence_set, score_features

    run = scored_run(db, run_id)
    evidence = tuple(e for e in evidence_set(config.scoring) if e.name not in LEAKY_EVIDENCE)
    features = db.fetch_numpy("scoring/features_of_run", {"run_id": run})
    with _truth(db, config, labels) as source:
        truth = db.fetch_numpy("evaluate/cluster_truth", {"run_id": run})
    index = {str(c): i for i, c in enumerate(features["cluster_id"])}
    rows = np.array([index[str(c)] for c in truth["cluster_id"]], dtype=np.int64)
    labelled = np.asarray(truth["labelled"], dtype=float)
    positives = np.asarray(truth["positives"], dtype=float)
    y = (positives >= 0.5 * labelled).astype(float)
    if y.sum() < 2 or (1 - y).sum() < 2:
        raise NotFoundError(f"calibration needs at least two labelled clusters of each class in {source}")
    subset = {k: np.asarray(v)[rows] for k, v in features.items()}
    x = _design(subset, evidence, config)
    folds = max(2, min(int(folds), int(min(y.sum(), (1 - y).sum()))))
    fold = np.random.default_rng(seed).permutation(len(y)) % folds
    flagged = tp = 0.0
    names = [e.name for e in evidence]
    for k in range(folds):
        train, test = fold != k, fold == k
        b0, coef = _fit(x[train], y[train], labelled[train])
        weights = {e.name: 0.0 for e in evidence_set(config.scoring)} | dict(zip(names, _points(b0, coef, config.scoring.high)))
        held = score_features({c: v[test] for c, v in subset.items()}, replace(config.scoring, weights=weights))
        high = np.array([b == "high" for b in held.band])
        flagged += labelled[test][high].sum()
        tp += positives[test][high].sum()
    b0, coef = _fit(x, y, labelled)
    proposed = dict(zip(names, np.round(_points(b0, coef, config.scoring.high), 1).tolist()))
    total_pos = float(positives.sum())
    held_out = {"flagged": int(flagged), "tp": int(tp), "fp": int(flagged - tp), "positives": int(total_pos),
                "precision": _float(_ratio(tp, flagged)), "recall": _float(_ratio(tp, total_pos))}
    return Calibration(run, source, len(y), int(y.sum()), folds, held_out, proposed,
                       [e.name for e in evidence_set(config.scoring) if e.name in LEAKY_EVIDENCE])
