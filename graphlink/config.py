"""One configuration object for every stage.

Precedence: built-in defaults < ``graphlink.toml`` (or ``[tool.graphlink]`` in
``pyproject.toml``) < CLI flags.  Every run stores the effective config in its
manifest, so a result can always be reproduced and explained.

The file mirrors the dataclasses below, one TOML table per section::

    [database]
    path = "graphlink.duckdb"
    memory_limit = "8GB"

    [graph.kinds.ip]
    weight = 0.6
    hub_cap = 50

    [communities]
    resolution = 0.1

Unknown keys and values of the wrong type are errors naming the key, never
silently ignored.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = [
    "Config",
    "DatabaseConfig",
    "IngestConfig",
    "TemplateConfig",
    "KindConfig",
    "GraphConfig",
    "CommunityConfig",
    "ScoringConfig",
    "ReportConfig",
    "load_config",
    "find_config_file",
]

CONFIG_FILE = "graphlink.toml"
DB_ENV = "GRAPHLINK_DB"


@dataclass
class DatabaseConfig:
    path: str = "graphlink.duckdb"
    """DuckDB file; ``GRAPHLINK_DB`` and ``--db`` override."""
    threads: int | None = None
    """DuckDB worker threads (default: all cores)."""
    memory_limit: str | None = None
    """DuckDB memory limit such as ``"6GB"`` (default: DuckDB's, 80% of RAM)."""
    temp_directory: str | None = None
    """Where DuckDB spills when a query exceeds the memory limit."""


@dataclass
class IngestConfig:
    mapping: dict[str, str] = field(default_factory=dict)
    """Source column -> contract column, e.g. ``{"client_ip" = "ip"}``."""
    strict: bool = False
    """Exit non-zero when any row is rejected."""


@dataclass
class TemplateConfig:
    min_accounts: int = 3
    """A scaffold must be used by at least this many accounts to become a template."""
    min_requests: int = 20
    """... and by at least this many requests."""
    similarity: float = 0.6
    """Jaccard similarity at which two scaffolds are one template (MinHash LSH)."""
    num_perm: int = 64
    """MinHash permutations."""
    segment_min_requests: int = 8
    """A line or sentence must recur in this many distinct prompts to be a candidate scaffold segment
    (fewer than min_requests: paraphrased variants split a template's count; more than a problem is
    usually resent under paraphrased scaffolds, whose sentences would otherwise all be candidates)."""
    segment_min_accounts: int = 1
    """... used by this many accounts (1: a scaffold each account edits its own way is still
    found, through near-duplicate segments)."""
    segment_similarity: float = 0.6
    """Jaccard similarity of word shingles at which two segments are one sentence (small edits)."""
    min_segment_chars: int = 12
    """Shorter segments ("Thanks!", "Hello") are never scaffold."""
    min_segment_words: int = 4
    """Segments with fewer words are never scaffold."""
    min_scaffold_words: int = 8
    """A template's scaffold (its consensus variant) has at least this many words."""
    min_support: float = 0.1
    """A segment is part of a template's scaffold when at least this share of the template's requests carry it."""
    min_specificity: float = 0.5
    """... and its own when more than this share of all requests carrying it are the template's."""
    min_match: float = 0.5
    """A prompt is a template's when it carries this share of the template's own scaffold words."""
    min_cohesion: float = 0.5
    """A template is one when this share of its group's requests match it (common lines that merely co-occur do not)."""
    min_slot_chars: int = 40
    """A template has a variable part: its prompts hold on average this many characters besides the scaffold."""
    signature_min_requests: int = 2
    """Signatures (sets of scaffold segments) carried by fewer requests are assigned, not used to discover templates."""
    scan_chars: int = 3000
    """Prompts longer than twice this are scanned on their first and last this many characters."""
    mask_numbers: bool = True
    """Replace every digit run by 0 before hashing segments, so "Question 17 of 40" recurs; about
    40% of the text pass (off: a scaffold line whose number changes in every prompt is not found)."""
    sample_prompts: int = 250_000
    """Templates are discovered on a sample of about this many prompts (all of them when there are
    fewer), then every prompt is assigned in one pass; segment_min_requests and signature_min_requests
    scale with the sample, min_requests does not (a template must have that many sampled requests)."""
    sample_block: int = 2048
    """The sample is whole blocks of this many consecutive requests as stored: prompt text is
    compressed in runs of rows, and a sample of scattered rows would decompress all of it."""
    reasoning_phrases: list[str] = field(
        default_factory=lambda: [
            "step by step",
            "step-by-step",
            "show your reasoning",
            "show your work",
            "explain your reasoning",
            "think carefully",
            "chain of thought",
            "<thinking>",
            "<think>",
            "reasoning trace",
            "expand this reasoning",
            "walk through",
            "internal monologue",
        ]
    )
    grading_phrases: list[str] = field(
        default_factory=lambda: [
            "rubric",
            "grade the",
            "score from",
            "score the",
            "rate the response",
            "as json",
            "json object",
            "which response is better",
            "evaluate the following answer",
        ]
    )


@dataclass
class KindConfig:
    weight: float = 1.0
    """Multiplier on the rarity weight of identifiers of this kind."""
    hub_cap: int = 50
    """Identifiers shared by more accounts than this are hubs: recorded, not linked."""
    enabled: bool = True
    apart: float = 1.0
    """Share of the weight a shared request-level identifier keeps when the two accounts never
    used it in the same time bucket (1: time does not matter; addresses, reassigned over time, keep less)."""


def _default_kinds() -> dict[str, KindConfig]:
    # Measured on synthetic worlds with benign look-alikes (benchmarks/bench_pipeline.py):
    # addresses shared at different times are mostly reassigned (apart=0); a ring's own
    # client fingerprint can be shared by a few hundred accounts (device cap 300).
    # A private template used by tens of accounts is strong evidence even when they never
    # share a card or address: at weight 0.8 the accounts of shift-working campaigns (own
    # cards, a new cloud address a day) linked at about 0.11, under the CPM resolution, and
    # 54% were clustered on the seed-1 world; at 1.2 all were, no benign group more so.
    return {
        "payment": KindConfig(weight=1.0, hub_cap=25),
        "card_bin": KindConfig(weight=0.3, hub_cap=200),
        "ip": KindConfig(weight=0.6, hub_cap=50, apart=0.0),
        "ip_prefix": KindConfig(weight=0.4, hub_cap=50, apart=0.0),
        "device": KindConfig(weight=0.7, hub_cap=300),
        "template": KindConfig(weight=1.2, hub_cap=500, apart=0.5),
        "email_domain": KindConfig(weight=0.5, hub_cap=100),
        "api_key": KindConfig(weight=1.0, hub_cap=25),
    }


@dataclass
class GraphConfig:
    since: str | None = None
    """Start of the time window (inclusive, ISO 8601); default: all data."""
    until: str | None = None
    """End of the time window (exclusive, ISO 8601); default: all data."""
    kinds: dict[str, KindConfig] = field(default_factory=_default_kinds)
    co_occurrence_minutes: int = 60
    """Sharing an identifier within the same bucket of this many minutes counts extra."""
    co_occurrence_bonus: float = 1.0
    """Extra weight for a shared identifier used by both accounts in the same bucket."""
    evidence_per_link: int = 10
    """How many of the identifiers linking two accounts each link lists as evidence."""
    min_link_weight: float = 0.1
    """Account pairs whose summed weight is lighter than this are no link: neither clustered nor stored.
    Half the CPM resolution; on the synthetic worlds of benchmarks/bench_quality.py dropping them
    changed no cluster, and it drops three quarters of the pairs of a large world."""
    public_email_domains: list[str] = field(
        default_factory=lambda: [
            "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com",
            "yahoo.com", "icloud.com", "me.com", "proton.me", "protonmail.com",
            "aol.com", "gmx.com", "gmx.de", "mail.com", "yandex.ru", "qq.com",
            "163.com", "126.com", "naver.com", "web.de", "fastmail.com",
        ]
    )
    """Shared by strangers by design: never an identifier."""


@dataclass
class CommunityConfig:
    objective: str = "CPM"
    """``CPM`` or ``modularity``; CPM avoids modularity's resolution limit."""
    resolution: float = 0.2
    """CPM resolution: a community's internal link density must exceed it (0.2 measured best across
    synthetic worlds of 1M and 10M requests, benchmarks/bench_pipeline.py)."""
    seed: int = 42
    """Seed of Leiden's random choices: same inputs + config give the same clusters."""
    n_iterations: int = 2
    """Leiden iterations; unbounded iteration can run for many minutes at scale."""
    beta: float = 0.01
    """Randomness of Leiden's refinement step."""
    min_cluster_size: int = 2
    """Communities smaller than this are not clusters."""
    dense_blocks: bool = True
    """Also run the camouflage-resistant dense-block detector as a second signal."""
    dense_block_count: int = 20
    """At most this many dense blocks per run, densest first."""
    dense_block_min_accounts: int = 3
    """A dense block holds at least this many accounts."""
    dense_block_epsilon: float = 0.2
    """Peeling step: each pass removes every vertex within (1 + epsilon) of the average; smaller is finer and slower."""
    dense_block_kinds: list[str] = field(
        default_factory=lambda: ["payment", "device", "ip", "api_key", "email_domain"]
    )
    """Identifier kinds the dense-block detector looks at (broad kinds such as card_bin, ip_prefix and
    template join unrelated dense groups into one loose block)."""


@dataclass
class ScoringConfig:
    weights: dict[str, float] = field(default_factory=dict)
    """Points (>= 0) per piece of evidence, by name (``graphlink.scoring.EVIDENCE``); unset ones keep the built-in weights."""
    curves: dict[str, list[float]] = field(default_factory=dict)
    """``[lo, hi]`` per piece of evidence: the feature value where its strength starts rising from 0 and where it reaches 1."""
    high: float = 70.0
    """Score at or above which a cluster is ``high`` (recommend enforcement)."""
    medium: float = 40.0
    """Score at or above which a cluster is ``medium`` (investigate)."""
    full_size: int = 5
    """Coordination evidence counts in full from this many accounts; below, scaled by (n - 1) / (full_size - 1)."""
    max_reasons: int = 4
    """How many supporting reasons each cluster lists (mitigating ones are always listed)."""
    top_templates: int = 5
    """Template concentration: share of a cluster's requests that use its this-many most used templates."""
    own_share: float = 0.8
    """A template is a cluster's own when its members are at least this share of the template's users in the window."""
    public_orgs: int = 10
    """... and its users do not span this many declared organisations (each declared by two or more of them)."""
    top_bins: int = 3
    """BIN concentration: members paying with a card from the cluster's this-many most common BINs."""
    quiet_hours: int = 8
    """Around the clock: share of requests in each account's quietest this-many consecutive hours of the day."""
    lockstep_minutes: int = 5
    """Lockstep: accounts active in the same window of this many minutes ..."""
    lockstep_stratum_minutes: int = 60
    """... compared with chance within strata of this many minutes (a multiple of lockstep_minutes)."""
    lockstep_prior: float = 10.0
    """Pseudo-count of member pairs added to observed and expected co-activity (keeps small samples near lift 1)."""
    burst_hours: int = 24
    """Sign-up burst: the most members created within this many hours."""
    prepaid_types: list[str] = field(default_factory=lambda: ["virtual_card", "prepaid"])
    """payment_methods.method_type values that count as virtual or prepaid."""
    anonymising_ip_types: list[str] = field(
        default_factory=lambda: ["datacenter", "residential_proxy", "vpn", "tor"]
    )
    """ip_intel.ip_type values that hide where a request comes from."""
    ban_statuses: list[str] = field(default_factory=lambda: ["banned", "suspended"])
    """accounts.status values of enforced accounts (ban evasion links)."""
    bad_labels: list[str] = field(default_factory=lambda: ["distillation"])
    """labels.label values of known bad accounts (ban evasion links) and of positives in evaluation."""


@dataclass
class ReportConfig:
    top: int = 10
    """How many clusters the report's action section lists."""
    html_node_cap: int = 2000
    """Above this many nodes an HTML graph is a labelled sample."""
    top_bands: list[str] = field(default_factory=lambda: ["high", "medium"])
    """Score bands whose clusters can enter the action section (ban-evasion clusters always can)."""
    actions: dict[str, str] = field(
        default_factory=lambda: {"high": "enforce", "medium": "review", "low": "monitor"}
    )
    """Recommended action per score band; an unscored or unlisted band gets ``review``."""
    evasion_action: str = "enforce"
    """Recommended action for ban-evading accounts and the clusters holding them."""
    table_rows: int = 100
    """Clusters listed in the HTML and Markdown tables (every cluster is in the CSV and JSON)."""
    evidence_per_cluster: int = 5
    """Binding identifiers shown per cluster."""
    lineage_weeks: int = 2
    """How many earlier weeks a first report follows back, running detection for them if needed."""
    identity_kinds: list[str] = field(
        default_factory=lambda: ["payment", "device", "api_key", "ip", "email_domain"]
    )
    """Identifier kinds that tie accounts to one operator: used to match clusters across weeks and to flag ban evasion."""
    identity_ownership: float = 0.5
    """... counted for a cluster only when at least this share of the identifier's users in the week are its members."""
    link_jaccard: float = 0.3
    """Member or identifier Jaccard index at which clusters of consecutive weeks are linked."""
    link_containment: float = 0.5
    """... or the share of the smaller side's members or identifiers that are shared (merges, splits)."""
    link_min_shared: int = 2
    """Shared members or identifiers a containment link needs."""
    size_change: float = 0.2
    """Relative size change at which a linked cluster is ``grown`` or ``shrunk`` ..."""
    size_change_min: int = 2
    """... provided at least this many accounts were gained or lost."""
    evasion_weeks: int = 4
    """How many earlier weeks of the lineage chain count as known clusters for ban evasion."""
    evasion_min_shared: int = 1
    """Identifiers of a banned cluster an account created after the ban must use to be flagged."""


@dataclass
class Config:
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    ingest: IngestConfig = field(default_factory=IngestConfig)
    templates: TemplateConfig = field(default_factory=TemplateConfig)
    graph: GraphConfig = field(default_factory=GraphConfig)
    communities: CommunityConfig = field(default_factory=CommunityConfig)
    scoring: ScoringConfig = field(default_factory=ScoringConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    source: str | None = field(default=None, compare=False)
    """The file the config was read from, if any (not part of the config)."""

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data.pop("source", None)
        return data

    def to_json(self) -> str:
        """Canonical JSON (sorted keys): stored in every run manifest."""
        return json.dumps(self.to_dict(), sort_keys=True, default=str)

    def with_overrides(self, overrides: dict[str, Any]) -> "Config":
        """Return a copy with dotted-key overrides applied, e.g. ``{"communities.seed": 7}``.

        ``None`` values are skipped, so CLI options left unset never win.
        """
        data = self.to_dict()
        for dotted, value in overrides.items():
            if value is None:
                continue
            node = data
            *parents, leaf = dotted.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = value
        return _build(Config, data, "config", source=self.source)


def find_config_file(start: Path | None = None) -> Path | None:
    """``graphlink.toml`` in the working directory, else a ``pyproject.toml`` with ``[tool.graphlink]``."""
    here = Path(start or Path.cwd())
    candidate = here / CONFIG_FILE
    if candidate.is_file():
        return candidate
    pyproject = here / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            return None
        if "graphlink" in data.get("tool", {}):
            return pyproject
    return None


def load_config(
    path: str | Path | None = None,
    overrides: dict[str, Any] | None = None,
    *,
    discover: bool = True,
) -> Config:
    """Build the effective config: defaults < file < ``GRAPHLINK_DB`` < overrides.

    Parameters
    ----------
    path : the config file; when ``None`` and *discover* is true, look for
        ``graphlink.toml`` / ``pyproject.toml`` in the working directory.
    overrides : dotted keys from CLI flags (``{"database.path": "x.duckdb"}``);
        ``None`` values are ignored.
    """
    data: dict[str, Any] = {}
    source = None
    file = Path(path) if path is not None else (find_config_file() if discover else None)
    if file is not None:
        if not file.is_file():
            raise ConfigError(f"config file {file} does not exist")
        try:
            raw = tomllib.loads(file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {file} is not valid TOML: {exc}") from None
        except UnicodeDecodeError:
            raise ConfigError(f"config file {file} is not UTF-8 text") from None
        if file.name == "pyproject.toml":
            raw = raw.get("tool", {}).get("graphlink", {})
        # The data contract's name for the column-mapping section.
        if "mapping" in raw:
            raw.setdefault("ingest", {})["mapping"] = raw.pop("mapping")
        data = raw
        source = str(file)
    config = _build(Config, data, str(file) if file else "config", source=source)
    env_db = os.environ.get(DB_ENV)
    merged: dict[str, Any] = {}
    if env_db:
        merged["database.path"] = env_db
    merged.update(overrides or {})
    return config.with_overrides(merged) if merged else config


# -- building dataclasses from plain data, with errors that name the key -----


def _build(cls: type, data: Any, where: str, source: str | None = None) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a table, got {type(data).__name__}")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls) if f.name != "source"}
    unknown = sorted(set(data) - names)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {', '.join(unknown)}; known keys: {', '.join(sorted(names))}"
        )
    kwargs = {}
    for name in names:
        if name in data:
            kwargs[name] = _coerce(hints[name], data[name], f"{where}.{name}" if where != "config" else name)
    obj = cls(**kwargs)
    if cls is Config:
        obj.source = source
        _validate(obj)
    return obj


def _coerce(tp: Any, value: Any, key: str) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _coerce(inner[0], value, key)
    if dataclasses.is_dataclass(tp):
        return _build(tp, value, key)
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{key}: expected a table, got {value!r}")
        ktype, vtype = args
        return {str(k): _coerce(vtype, v, f"{key}.{k}") for k, v in value.items()}
    if origin is list:
        if not isinstance(value, (list, tuple)):
            raise ConfigError(f"{key}: expected a list, got {value!r}")
        return [_coerce(args[0], v, f"{key}[{i}]") for i, v in enumerate(value)]
    if tp is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"true", "false", "1", "0", "yes", "no"}:
            return value.lower() in {"true", "1", "yes"}
        raise ConfigError(f"{key}: expected true or false, got {value!r}")
    if tp is int:
        if isinstance(value, bool):
            raise ConfigError(f"{key}: expected an integer, got {value!r}")
        try:
            if isinstance(value, float) and not value.is_integer():
                raise ValueError
            return int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{key}: expected an integer, got {value!r}") from None
    if tp is float:
        if isinstance(value, bool):
            raise ConfigError(f"{key}: expected a number, got {value!r}")
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{key}: expected a number, got {value!r}") from None
    if tp is str:
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise ConfigError(f"{key}: expected a string, got {value!r}")
        return str(value)
    return value


def _validate(config: Config) -> None:
    c = config.communities
    if c.objective not in {"CPM", "modularity"}:
        raise ConfigError(f"communities.objective: expected CPM or modularity, got {c.objective!r}")
    if c.resolution <= 0:
        raise ConfigError(f"communities.resolution: must be positive, got {c.resolution}")
    if c.min_cluster_size < 2:
        raise ConfigError("communities.min_cluster_size: a cluster has at least 2 accounts")
    s = config.scoring
    if not 0 <= s.medium <= s.high <= 100:
        raise ConfigError(
            f"scoring: need 0 <= medium <= high <= 100, got medium={s.medium}, high={s.high}"
        )
    for name, kind in config.graph.kinds.items():
        if kind.hub_cap < 2:
            raise ConfigError(f"graph.kinds.{name}.hub_cap: must be at least 2, got {kind.hub_cap}")
        if kind.weight < 0:
            raise ConfigError(f"graph.kinds.{name}.weight: must not be negative")
    t = config.templates
    if not 0 < t.similarity <= 1:
        raise ConfigError(f"templates.similarity: must be in (0, 1], got {t.similarity}")
