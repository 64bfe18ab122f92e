"""Score every cluster of a run for distillation behaviour, with reasons.

A cluster is not guilty for being a cluster: enterprises, campuses and
families form clusters too.  This stage measures what the members of each
cluster *do* and scores how much of it looks like an operator harvesting a
model's outputs.

Features
--------
Computed in SQL over the run's window, one query per feature table
(``queries/scoring/feat_*.sql``), stored in ``run_features``:

volume, load balancing (``feat_volume``), templates, reasoning and grading
prompts, token ratio, model concentration (``feat_prompts``), around the
clock (``feat_clock``), lockstep timing (``feat_lockstep``), sign-up bursts
and account age (``feat_signup``), shared / prepaid instruments, card BINs,
billing country (``feat_payment``), datacenter / proxy / VPN traffic
(``feat_network``), declared organisation and ban evasion (``feat_links``).
Each SQL file's header defines its features exactly.

Score
-----
Each piece of evidence in :data:`EVIDENCE` maps one feature ``x`` to a
strength in ``[0, 1]`` with a monotone linear ramp::

    strength = clip((x - lo) / (hi - lo), 0, 1)      # lo > hi: lower x is worse

and carries a weight in points.  A missing feature is no evidence (strength
0).  Evidence is of three kinds:

- **behaviour**: what the cluster's requests do -- harvest reasoning or
  grades with the cluster's own scaffolds, run around the clock, come from
  datacenters and proxies.  Counted in full from two accounts on.
- **coordination**: how alike and synchronised the accounts are -- even load,
  lockstep timing, sign-up bursts, young accounts, shared or prepaid cards,
  one BIN, billing abroad, links to banned accounts.  A family or one
  person's two accounts share almost everything, so it is scaled by the
  cluster's size.
- **mitigating**: declared membership of organisations.  An organisation
  explains shared infrastructure and synchronised accounts, not harvesting
  behaviour, so its points offset coordination points only.

With ``B``, ``C`` and ``M`` the weighted strength sums of the three kinds::

    size_factor = clip((n_accounts - 1) / (full_size - 1), 0, 1)
    score       = clip([n_accounts >= 2] * B + size_factor * max(C - M, 0), 0, 100)

so a single account scores 0.  Bands: ``high`` (recommend enforcement) at or
above ``scoring.high``, ``medium`` (investigate) at or above
``scoring.medium``, else ``low``.  Weights (``scoring.weights``), ramps
(``scoring.curves``) and thresholds live in the config; the defaults are
below.  The score never falls when a suspicious feature or the cluster's size
rises, and never rises when a mitigating feature does.

Reasons
-------
The evidence contributing most points, rendered as sentences with the
numbers behind them, strongest first (``scoring.max_reasons`` of them), then
every mitigating sign and the size discount when they cost points.  Stored
in ``run_scores.reasons`` as a JSON list; the points per evidence (after the
size factor; mitigation negative) in ``run_scores.contributions``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import pyarrow as pa

from .config import Config, ScoringConfig
from .db import Database
from .errors import ConfigError, NotFoundError
from .graph import graph_requests

__all__ = [
    "Evidence",
    "EVIDENCE",
    "FEATURE_QUERIES",
    "ScoreResult",
    "score_run",
    "compute_features",
    "evidence_set",
    "strengths",
    "feature_column",
    "size_factor",
    "score_features",
    "band_of",
    "scored_run",
    "account_verdicts",
    "write_verdicts",
    "VerdictsResult",
]

BANDS = ("high", "medium", "low")

# The feature tables, in the order they are built (cluster_members and
# member_requests first: the others read them), then the insert into run_features.
FEATURE_QUERIES = (
    "scoring/cluster_members",
    "scoring/member_requests",
    "scoring/feat_volume",
    "scoring/feat_prompts",
    "scoring/feat_clock",
    "scoring/feat_lockstep",
    "scoring/feat_signup",
    "scoring/feat_payment",
    "scoring/feat_network",
    "scoring/feat_links",
    "scoring/run_features",
)


# -- sentences ----------------------------------------------------------------


def _pct(x: float | None) -> str:
    if x is None or not math.isfinite(x):
        return "?%"
    return f"{round(100 * x):d}%"


def _n(x: Any) -> str:
    return f"{int(x or 0):,}"


def _plural(count: Any, one: str, many: str | None = None) -> str:
    k = int(count or 0)
    return f"{k:,} {one if k == 1 else (many or one + 's')}"


def _say_load_balance(f: Mapping[str, Any]) -> str:
    return (
        f"traffic is spread evenly across {_plural(f['n_active_accounts'], 'account')} "
        f"(evenness {f['request_evenness']:.2f} of 1; the busiest account makes "
        f"{_pct(f['top_account_share'])} of {_plural(f['n_requests'], 'request')})"
    )


def _say_templated(f: Mapping[str, Any]) -> str:
    return (
        f"{_pct(f['top_template_share'])} of {_plural(f['n_requests'], 'request')} "
        f"use {_plural(f['n_top_templates'], 'prompt template')}"
    )


def _say_own_templates(f: Mapping[str, Any]) -> str:
    return (
        f"{_pct(f['own_template_share'])} of {_plural(f['n_requests'], 'request')} use "
        f"{_plural(f['n_own_templates'], 'prompt template')} used almost only by this cluster"
    )


def _say_own_elicitation(f: Mapping[str, Any]) -> str:
    return (
        f"{_pct(f['own_elicitation_share'])} of {_plural(f['n_requests'], 'request')} ask for reasoning or "
        f"grading through {_plural(f['n_own_templates'], 'prompt template')} used almost only by this cluster"
    )


def _say_elicitation(f: Mapping[str, Any]) -> str:
    public = f.get("public_template_share") or 0.0
    where = " outside public templates" if public >= 0.005 else ""
    return (
        f"{_pct(f['elicitation_share'])} of {_plural(f['n_requests'], 'request')} ask for step-by-step "
        f"reasoning or for grading{where}"
    )


def _say_heavy_use(f: Mapping[str, Any]) -> str:
    return (
        f"accounts are used hard: {f['requests_per_active_day']:.0f} requests per account on each day "
        f"they are active ({_n(f['n_requests'])} requests from {_plural(f['n_active_accounts'], 'account')})"
    )


def _say_reasoning(f: Mapping[str, Any]) -> str:
    return f"{_pct(f['reasoning_share'])} of requests ask for step-by-step reasoning"


def _say_grading(f: Mapping[str, Any]) -> str:
    return f"{_pct(f['grading_share'])} of requests ask to grade or score answers"


def _say_long_answers(f: Mapping[str, Any]) -> str:
    return f"answers are {f['token_ratio']:.1f} times as long as prompts (completion / prompt tokens)"


def _say_around_the_clock(f: Mapping[str, Any], c: ScoringConfig) -> str:
    return (
        f"accounts run around the clock: {_pct(f['quiet_share'])} of requests fall in each "
        f"account's quietest {c.quiet_hours} hours of the day "
        f"({_pct(c.quiet_hours / 24)} if spread evenly, near 0% for people who sleep)"
    )


def _say_lockstep(f: Mapping[str, Any], c: ScoringConfig) -> str:
    return (
        f"accounts act in lockstep: pairs of accounts are active in the same "
        f"{c.lockstep_minutes}-minute window {f['lockstep_lift']:.1f} times as often as chance "
        f"({_n(f['lockstep_observed'])} co-active pairs, {_n(f['lockstep_expected'])} expected)"
    )


def _say_signup_burst(f: Mapping[str, Any], c: ScoringConfig) -> str:
    return (
        f"{_n(f['burst_accounts'])} of {_plural(f['n_accounts'], 'account')} "
        f"were created within {c.burst_hours} hours"
    )


def _say_young_accounts(f: Mapping[str, Any]) -> str:
    return f"the median account was {f['median_age_days']:.1f} days old at its first request"


def _say_shared_payment(f: Mapping[str, Any]) -> str:
    return (
        f"{_n(f['shared_payment_accounts'])} of {_plural(f['n_accounts'], 'account')} share payment "
        f"instruments ({_plural(f['n_instruments'], 'instrument')} in all)"
    )


def _say_prepaid(f: Mapping[str, Any]) -> str:
    return (
        f"{_n(f['prepaid_accounts'])} of {_plural(f['n_accounts'], 'account')} "
        f"pay with virtual or prepaid cards"
    )


def _say_card_bins(f: Mapping[str, Any]) -> str:
    return (
        f"{_n(f['top_bin_accounts'])} of {_plural(f['n_accounts'], 'account')} "
        f"pay with cards from {_plural(f['n_top_bins'], 'card BIN')}"
    )


def _say_anonymised(f: Mapping[str, Any]) -> str:
    parts = [
        f"{_pct(f[col])} {name}"
        for col, name in (("datacenter_share", "datacenter"), ("proxy_share", "residential proxy"),
                          ("vpn_share", "VPN / Tor"))
        if f.get(col) and f[col] >= 0.005
    ]
    detail = f" ({', '.join(parts)})" if parts else ""
    return f"{_pct(f['anonymised_share'])} of requests come from datacenter, proxy or VPN addresses{detail}"


def _say_country_mismatch(f: Mapping[str, Any]) -> str:
    return (
        f"{_n(f['mismatch_accounts'])} of {_plural(f['n_accounts'], 'account')} bill in another "
        f"country than they signed up in"
    )


def _say_ban_evasion(f: Mapping[str, Any]) -> str:
    parts = []
    if f.get("banned_accounts"):
        parts.append(f"{_plural(f['banned_accounts'], 'account')} already banned or labelled")
    if f.get("evasion_accounts"):
        parts.append(
            f"{_plural(f['evasion_accounts'], 'account')} sharing a card or device with banned or labelled accounts"
        )
    return "ban evasion: " + " and ".join(parts) if parts else "no links to banned accounts"


def _say_capability(f: Mapping[str, Any]) -> str:
    return f"{_pct(f['top_model_share'])} of requests go to one model ({f['top_model']})"


def _say_organisation(f: Mapping[str, Any]) -> str:
    orgs = int(f.get("n_orgs") or 0)
    detail = "" if orgs <= 1 else f"; the largest, {f['top_org']}, has {_n(f['top_org_accounts'])}"
    return (
        f"{_n(f['org_accounts'])} of {_plural(f['n_accounts'], 'account')} belong to "
        f"{'one declared organisation (' + str(f['top_org']) + ')' if orgs <= 1 else _plural(orgs, 'declared organisation')}"
        f"{detail}, as in an enterprise, campus or lab"
    )


# -- evidence -----------------------------------------------------------------


KINDS = ("behaviour", "coordination", "mitigating")
"""Kinds of evidence (see the module docstring)."""


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: a feature, a ramp to a strength in [0, 1], a weight in points.

    Parameters
    ----------
    name : the key used in ``scoring.weights`` / ``scoring.curves`` and in
        ``run_scores.contributions``.
    column : the ``run_features`` column it reads.
    lo, hi : the ramp; strength 0 at ``lo``, 1 at ``hi`` (``lo > hi`` when
        lower values are worse, e.g. account age).
    weight : points at full strength (not negative).
    kind : ``behaviour``, ``coordination`` or ``mitigating``.
    say : renders the reason sentence from a row of features (and the config
        when it names a tunable).
    """

    name: str
    column: str
    lo: float
    hi: float
    weight: float
    kind: str
    say: Callable[..., str] = field(compare=False, repr=False)
    needs_config: bool = False

    def strength(self, x: np.ndarray) -> np.ndarray:
        """Vectorised ramp; NaN (feature unknown) gives 0."""
        x = np.asarray(x, dtype=float)
        with np.errstate(invalid="ignore"):
            s = np.clip((x - self.lo) / (self.hi - self.lo), 0.0, 1.0)
        return np.where(np.isnan(s), 0.0, s)

    def sentence(self, row: Mapping[str, Any], config: ScoringConfig) -> str:
        return self.say(row, config) if self.needs_config else self.say(row)


_B, _C, _M = KINDS
# name, run_features column, ramp lo -> hi, points, kind, sentence
EVIDENCE: tuple[Evidence, ...] = (
    Evidence("own_elicitation", "own_elicitation_share", 0.1, 0.4, 30, _B, _say_own_elicitation),
    Evidence("elicitation", "elicitation_share", 0.15, 0.45, 35, _B, _say_elicitation),
    Evidence("own_templates", "own_template_share", 0.3, 0.8, 10, _B, _say_own_templates),
    Evidence("heavy_use", "requests_per_active_day", 2.5, 6.0, 15, _B, _say_heavy_use),
    Evidence("reasoning", "reasoning_share", 0.15, 0.45, 0, _B, _say_reasoning),
    Evidence("grading", "grading_share", 0.1, 0.4, 0, _B, _say_grading),
    Evidence("templated", "top_template_share", 0.3, 0.8, 0, _B, _say_templated),
    Evidence("long_answers", "token_ratio", 8.0, 16.0, 5, _B, _say_long_answers),
    Evidence("around_the_clock", "clock_flatness", 0.3, 0.8, 15, _B, _say_around_the_clock, True),
    Evidence("anonymised_network", "anonymised_share", 0.2, 0.7, 15, _B, _say_anonymised),
    Evidence("capability", "top_model_share", 0.9, 1.0, 0, _B, _say_capability),
    Evidence("load_balance", "request_evenness", 0.5, 0.8, 10, _C, _say_load_balance),
    Evidence("lockstep", "lockstep_lift", 1.5, 3.0, 30, _C, _say_lockstep, True),
    Evidence("signup_burst", "burst_share", 0.3, 0.8, 10, _C, _say_signup_burst, True),
    Evidence("young_accounts", "median_age_days", 30.0, 3.0, 5, _C, _say_young_accounts),
    Evidence("shared_payment", "shared_payment_share", 0.2, 0.6, 10, _C, _say_shared_payment),
    Evidence("prepaid_cards", "prepaid_share", 0.2, 0.6, 15, _C, _say_prepaid),
    Evidence("card_bins", "top_bin_share", 0.5, 0.9, 3, _C, _say_card_bins),
    Evidence("country_mismatch", "country_mismatch_share", 0.2, 0.6, 5, _C, _say_country_mismatch),
    Evidence("ban_evasion", "ban_link_share", 0.02, 0.2, 25, _C, _say_ban_evasion),
    Evidence("organisation", "org_share", 0.5, 0.9, 30, _M, _say_organisation),
)
"""The built-in evidence: feature, ramp, points at full strength, kind."""


def evidence_set(config: ScoringConfig) -> tuple[Evidence, ...]:
    """The evidence with the config's weights and ramps applied.

    Raises
    ------
    ConfigError : a weight or curve names unknown evidence, or a curve is not ``[lo, hi]`` with lo != hi.
    """
    known = {e.name: e for e in EVIDENCE}
    for section in ("weights", "curves"):
        unknown = sorted(set(getattr(config, section)) - known.keys())
        if unknown:
            raise ConfigError(
                f"scoring.{section}: unknown evidence {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
    out = []
    for e in EVIDENCE:
        changes: dict[str, Any] = {}
        if e.name in config.weights:
            changes["weight"] = float(config.weights[e.name])
            if changes["weight"] < 0:
                raise ConfigError(
                    f"scoring.weights.{e.name}: must not be negative (mitigating evidence subtracts by its kind)"
                )
        if e.name in config.curves:
            curve = config.curves[e.name]
            if len(curve) != 2 or float(curve[0]) == float(curve[1]):
                raise ConfigError(f"scoring.curves.{e.name}: expected [lo, hi] with lo != hi, got {curve!r}")
            changes["lo"], changes["hi"] = float(curve[0]), float(curve[1])
        out.append(replace(e, **changes) if changes else e)
    return tuple(out)


def _check_config(c: ScoringConfig) -> None:
    if c.full_size < 2:
        raise ConfigError(f"scoring.full_size: must be at least 2, got {c.full_size}")
    for name in ("top_templates", "top_bins", "quiet_hours", "lockstep_minutes",
                 "lockstep_stratum_minutes", "burst_hours", "max_reasons", "public_orgs"):
        if getattr(c, name) < 1:
            raise ConfigError(f"scoring.{name}: must be at least 1, got {getattr(c, name)}")
    if c.quiet_hours > 23:
        raise ConfigError(f"scoring.quiet_hours: must be below 24, got {c.quiet_hours}")
    if c.lockstep_stratum_minutes % c.lockstep_minutes:
        raise ConfigError(
            f"scoring.lockstep_stratum_minutes ({c.lockstep_stratum_minutes}) must be a multiple "
            f"of scoring.lockstep_minutes ({c.lockstep_minutes})"
        )
    if c.lockstep_prior < 0:
        raise ConfigError("scoring.lockstep_prior: must not be negative")
    if not 0 < c.own_share <= 1:
        raise ConfigError(f"scoring.own_share: must be in (0, 1], got {c.own_share}")


# -- features -----------------------------------------------------------------


def _feature_params(config: Config, run_id: int) -> dict[str, Any]:
    s = config.scoring
    return {
        "run_id": run_id,
        "top_templates": s.top_templates,
        "own_share": float(s.own_share),
        "public_orgs": s.public_orgs,
        "max_payment_accounts": _hub_cap(config, "payment"),
        "max_device_accounts": _hub_cap(config, "device"),
        "quiet_hours": s.quiet_hours,
        "bucket_minutes": s.lockstep_minutes,
        "stratum_minutes": s.lockstep_stratum_minutes,
        "prior": float(s.lockstep_prior),
        "burst_hours": s.burst_hours,
        "prepaid_types": [t.lower() for t in s.prepaid_types],
        "top_bins": s.top_bins,
        "anonymising_ip_types": [t.lower() for t in s.anonymising_ip_types],
        "ban_statuses": [t.lower() for t in s.ban_statuses],
        "bad_labels": [t.lower() for t in s.bad_labels],
    }


def _hub_cap(config: Config, kind: str) -> int:
    found = config.graph.kinds.get(kind)
    return int(found.hub_cap) if found is not None else 50


def compute_features(db: Database, config: Config, run_id: int) -> int:
    """(Re)compute ``run_features`` for every cluster of *run_id*; return the number of clusters.

    Runs the ``queries/scoring`` feature queries in order; they read
    ``run_clusters``, ``run_members``, the canonical tables and the requests
    of the run's window (``runs.since`` / ``runs.until``) in
    ``graph_requests``: the detection run's own when scoring runs inside
    :func:`graphlink.pipeline.detect`, else built here and dropped after.
    Cost is one pass over the members' requests plus aggregations of it.
    """
    _check_config(config.scoring)
    params = _feature_params(config, run_id)
    ((since, until),) = db.execute("SELECT since, until FROM runs WHERE run_id = $r", {"r": run_id}).fetchall()
    with db.transaction():
        built = graph_requests(db, since, until)
        db.run("scoring/delete_run_features", params)
        for name in FEATURE_QUERIES:
            db.run(name, params)
        db.script("scoring/drop_feature_tables")
        if built:
            db.drop_tables("graph_requests", temp=True)
    ((n,),) = db.execute("SELECT count(*) FROM run_features WHERE run_id = $r", {"r": run_id}).fetchall()
    return int(n)


# -- scoring ------------------------------------------------------------------


def feature_column(features: Mapping[str, Any], name: str, n: int) -> np.ndarray:
    """Column *name* of a feature batch as floats, NULL as NaN (all NaN when the column is missing)."""
    if name not in features:
        return np.full(n, np.nan)
    col = features[name]
    if isinstance(col, np.ma.MaskedArray):
        return np.ma.filled(col.astype(float), np.nan)
    return np.asarray(col, dtype=float)


def strengths(features: Mapping[str, Any], evidence: Sequence[Evidence]) -> np.ndarray:
    """Evidence strengths, shape (clusters, evidence), from feature columns (dict of arrays)."""
    n = len(next(iter(features.values()))) if features else 0
    if not evidence:
        return np.zeros((n, 0))
    return np.column_stack([e.strength(feature_column(features, e.column, n)) for e in evidence])


def size_factor(n_accounts: np.ndarray, full_size: int) -> np.ndarray:
    """(n - 1) / (full_size - 1), clipped to [0, 1]: 0 for one account, 1 from full_size up."""
    n = np.asarray(n_accounts, dtype=float)
    return np.clip((n - 1.0) / (full_size - 1.0), 0.0, 1.0)


def band_of(score: float, config: ScoringConfig) -> str:
    """``high`` / ``medium`` / ``low`` for a score, by the config's thresholds."""
    if score >= config.high:
        return "high"
    if score >= config.medium:
        return "medium"
    return "low"


@dataclass
class ScoredClusters:
    """Scores of a batch of clusters (arrays aligned with the input rows)."""

    score: np.ndarray
    band: list[str]
    points: np.ndarray        # B + max(C - M, 0), before the size factors and the cap
    size_factor: np.ndarray
    contributions: np.ndarray  # (clusters, evidence): points as counted; mitigation negative
    evidence: tuple[Evidence, ...]


def score_features(features: Mapping[str, Any], config: ScoringConfig) -> ScoredClusters:
    """Score clusters from their feature columns (a dict of equal-length arrays).

    Pure arithmetic over the features, no database (see the module
    docstring for the formula).
    """
    evidence = evidence_set(config)
    _check_config(config)
    s = strengths(features, evidence)
    n = s.shape[0]
    points = s * np.array([e.weight for e in evidence], dtype=float)
    kinds = np.array([e.kind for e in evidence])
    behaviour = points[:, kinds == _B].sum(axis=1)
    coordination = points[:, kinds == _C].sum(axis=1)
    mitigation = points[:, kinds == _M].sum(axis=1)
    offset = np.minimum(coordination, mitigation)
    sizes = feature_column(features, "n_accounts", n)
    g = np.nan_to_num(size_factor(sizes, config.full_size))
    b = (np.nan_to_num(sizes) >= 2).astype(float)
    contributions = np.zeros_like(points)
    contributions[:, kinds == _B] = points[:, kinds == _B] * b[:, None]
    contributions[:, kinds == _C] = points[:, kinds == _C] * g[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(mitigation[:, None] > 0, points[:, kinds == _M] / mitigation[:, None], 0.0)
    contributions[:, kinds == _M] = -share * (g * offset)[:, None]
    score = np.round(np.clip(b * behaviour + g * (coordination - offset), 0.0, 100.0), 1)
    return ScoredClusters(score, [band_of(x, config) for x in score], behaviour + coordination - offset,
                          g, contributions, evidence)


def _rows(features: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The feature batch as one dict of Python values per cluster (NULL as None).

    Columns are converted whole: indexing a masked array element by element
    cost more than the scoring itself on tens of thousands of clusters.
    """
    columns = []
    for col in features.values():
        values = col.tolist() if not isinstance(col, np.ma.MaskedArray) else [
            None if masked else v for v, masked in zip(col.data.tolist(), np.ma.getmaskarray(col).tolist())
        ]
        columns.append(values)
    names = list(features)
    return [dict(zip(names, values)) for values in zip(*columns)]


def reasons_for(row: Mapping[str, Any], contributions: np.ndarray, size: float,
                evidence: Sequence[Evidence], config: ScoringConfig) -> list[str]:
    """The reason sentences of one cluster: strongest supporting evidence first, then mitigating signs.

    Evidence worth less than half a point is not mentioned.
    """
    order = np.argsort(-np.abs(contributions), kind="stable")
    support = [i for i in order if contributions[i] >= 0.5][: config.max_reasons]
    mitigate = [i for i in order if contributions[i] <= -0.5]
    out = [_capitalise(evidence[i].sentence(row, config)) for i in support]
    out += [
        _capitalise(evidence[i].sentence(row, config))
        + f" (offsets {-contributions[i]:.0f} points of shared infrastructure and timing)"
        for i in mitigate
    ]
    coordination = sum(contributions[i] for i, e in enumerate(evidence) if e.kind == _C)
    n = int(row.get("n_accounts") or 0)
    if n < 2:
        out.append("A single account is not a cluster")
    elif size < 1 and coordination > 0:
        out.append(
            f"Only {_plural(n, 'account')}: shared infrastructure and timing count {size:.0%} "
            f"(in full from {config.full_size} accounts)"
        )
    if not support:
        out.insert(0, "No distillation behaviour stands out")
    return out


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


@dataclass
class ScoreResult:
    """What :func:`score_run` did."""

    run_id: int
    clusters: int
    bands: dict[str, int]
    accounts: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "clusters": self.clusters, "bands": self.bands,
                "accounts": self.accounts}


def score_run(db: Database, config: Config, run_id: int) -> ScoreResult:
    """Compute features and scores for every cluster of a run.

    Writes ``run_features`` (one row per cluster) and ``run_scores``
    (run_id, cluster_id, score, band, points, size_factor, contributions,
    reasons), replacing earlier rows of the same run, in one transaction
    (joining the caller's, e.g. the detection run's).

    Parameters
    ----------
    db : the database holding ``run_clusters`` / ``run_members`` of the run.
    config : ``config.scoring`` supplies weights, ramps and thresholds.
    run_id : the run to score.

    Raises
    ------
    NotFoundError : no such run.
    ConfigError : unknown evidence names or bad tunables in ``config.scoring``.
    """
    ((exists,),) = db.execute("SELECT count(*) FROM runs WHERE run_id = $r", {"r": run_id}).fetchall()
    if not exists:
        raise NotFoundError(f"run {run_id} does not exist")
    evidence_set(config.scoring)  # fail on a bad config before any work
    with db.transaction():
        compute_features(db, config, run_id)
        features = db.fetch_numpy("scoring/features_of_run", {"run_id": run_id})
        scored = score_features(features, config.scoring)
        n = len(scored.score)
        ids = [str(x) for x in features.get("cluster_id", [])]
        names = [e.name for e in scored.evidence]
        contributions = [
            json.dumps({name: round(c, 2) for name, c in zip(names, row) if c != 0}, sort_keys=True)
            for row in scored.contributions.tolist()
        ]
        size_factors = scored.size_factor.tolist()
        reasons = [
            json.dumps(reasons_for(row, scored.contributions[i], size_factors[i], scored.evidence, config.scoring),
                       ensure_ascii=False)
            for i, row in enumerate(_rows(features))
        ]
        table = pa.table({
            "cluster_id": pa.array(ids, pa.string()),
            "score": pa.array(scored.score, pa.float64()),
            "band": pa.array(scored.band, pa.string()),
            "points": pa.array(np.round(scored.points, 2), pa.float64()),
            "size_factor": pa.array(np.round(scored.size_factor, 4), pa.float64()),
            "contributions": pa.array(contributions, pa.string()),
            "reasons": pa.array(reasons, pa.string()),
        })
        db.run("scoring/delete_run_scores", {"run_id": run_id})
        db.register("new_scores", table)
        try:
            db.run("scoring/run_scores", {"run_id": run_id})
        finally:
            db.unregister("new_scores")
    bands = {b: 0 for b in BANDS}
    accounts = {b: 0 for b in BANDS}
    sizes = feature_column(features, "n_accounts", n)
    for b, k in zip(scored.band, sizes):
        bands[b] += 1
        accounts[b] += int(k) if not math.isnan(k) else 0
    return ScoreResult(run_id, n, bands, accounts)


# -- verdicts -----------------------------------------------------------------


def scored_run(db: Database, run_id: int | None = None) -> int:
    """The run whose scores to read: *run_id*, or by default the latest scored run.

    Raises
    ------
    NotFoundError : no run has been scored yet, or *run_id* has no scores.
    """
    if run_id is None:
        ((latest,),) = db.execute("SELECT max(run_id) FROM run_scores").fetchall()
        if latest is None:
            raise NotFoundError("no scored run yet; run 'graphlink detect' first")
        return int(latest)
    ((n,),) = db.execute("SELECT count(*) FROM run_scores WHERE run_id = $r", {"r": int(run_id)}).fetchall()
    if not n:
        raise NotFoundError(f"run {run_id} has no scores")
    return int(run_id)


def account_verdicts(db: Database, run_id: int | None = None) -> pa.Table:
    """``account_id, cluster_id, score, band`` for every member of a scored cluster of the run.

    An account in several clusters is listed once, with its highest-scoring
    cluster.  Sorted by score (descending), then account id.
    """
    return db.fetch_arrow("scoring/account_verdicts", {"run_id": scored_run(db, run_id)})


@dataclass
class VerdictsResult:
    """What :func:`write_verdicts` wrote."""

    run_id: int
    path: str
    accounts: int
    bands: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "path": self.path, "accounts": self.accounts, "bands": self.bands}


def write_verdicts(db: Database, path: str | Path, *, run_id: int | None = None) -> VerdictsResult:
    """Write the account-level verdicts of a run (default: the latest scored) as CSV.

    Columns: ``account_id,cluster_id,score,band``; one row per account of a
    scored cluster.
    """
    import pyarrow.csv as pacsv

    run = scored_run(db, run_id)
    table = account_verdicts(db, run)
    out = Path(path)
    if out.parent and not out.parent.exists():
        raise NotFoundError(f"cannot write {out}: folder {out.parent} does not exist")
    pacsv.write_csv(table, str(out), pacsv.WriteOptions(quoting_style="needed"))
    bands = {b: 0 for b in BANDS}
    for b in table.column("band").to_pylist():
        bands[b] = bands.get(b, 0) + 1
    return VerdictsResult(run, str(out), table.num_rows, bands)
