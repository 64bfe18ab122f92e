"""The template stage: requests.prompt -> templates, request_templates.

See the package docstring (:mod:`graphlink.templates`) for the method and the
measurements behind it.  SQL (``queries/templates``) does everything that
touches the prompt stream; Python sees only the distinct candidate segments
and the distinct scaffold signatures of a fixed-size sample of prompts, so
nothing it holds grows with the number of requests.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import math
import re
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

import numpy as np
import pyarrow as pa

from ..config import Config, KindConfig, TemplateConfig
from ..db import Database
from ..errors import ConfigError, DatabaseError
from .merge import merge_signatures, near_duplicates, segment_minhashes, signature_minhashes
from .scaffold import elicitation_flags, phrase_pattern, skeleton, split_segments, template_id

__all__ = [
    "TemplateResult", "mine_templates", "ensure_templates", "template_hub_cap", "config_fingerprint", "flag_requests",
]

log = logging.getLogger(__name__)

_WORK_VIEWS = ("tpl_seg_class", "tpl_keep_list", "tpl_sig_group", "tpl_leaders", "tpl_own", "tpl_meta")
_DIGIT_RE = re.compile(r"[0-9]")
_MAX_CUT = 2**64 - 1
"""The largest UBIGINT: every block's hash is at most this (the sample is every prompt)."""


@dataclass
class TemplateResult:
    """What a mining did (or, from :func:`ensure_templates`, what the last one did).

    Attributes
    ----------
    mined : False when :func:`ensure_templates` found the requests unchanged
        and kept the stored templates.
    prompts : requests with prompt text to mine (no upstream template id).
    sampled_prompts : of those, the prompts templates were discovered on
        (all of them up to ``templates.sample_prompts``).
    upstream_requests : requests carrying an upstream ``prompt_template_id``.
    candidate_segments : distinct segments recurring enough to be scaffold.
    segment_classes : classes of near-duplicate candidate segments.
    signatures : distinct scaffold signatures (sets of segment classes).
    groups : groups of near-duplicate signatures after noise removal.
    templates : mined templates written.
    upstream_templates : distinct upstream template ids.
    templated_requests : rows written to ``request_templates``.
    hubs : templates used by more accounts than the template hub cap.
    seconds : wall time of the mining.
    timings : seconds per step.
    """

    mined: bool = True
    prompts: int = 0
    sampled_prompts: int = 0
    upstream_requests: int = 0
    candidate_segments: int = 0
    segment_classes: int = 0
    signatures: int = 0
    groups: int = 0
    templates: int = 0
    upstream_templates: int = 0
    templated_requests: int = 0
    hubs: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Signature:
    """One distinct scaffold signature: the set of segment classes some prompts share.

    Attributes
    ----------
    key : its index in the round's list.
    segments : the segment classes it contains (sorted).
    n_requests, n_accounts : how many requests carry it, from how many accounts.
    """

    key: int
    segments: tuple[int, ...]
    n_requests: int
    n_accounts: int


@dataclass
class _Template:
    """A group of signatures that is a template, on its way to a templates row."""

    grp: int
    example: int
    scaffold: frozenset[int]
    own: frozenset[int]
    core_words: int
    scaffold_words: int
    n_variants: int
    template_id: str = ""
    skeleton: str = ""


@dataclass
class _Lines:
    """The candidate segments and their near-duplicate classes."""

    text: dict[int, str]
    """Class -> text of its most used segment."""
    words: dict[int, int]
    """Class -> words of its most used segment."""
    members: dict[int, list[int]]
    """Class -> its segments."""
    member_text: dict[int, str]
    """Segment -> text."""
    cls: dict[int, int]
    """Segment -> class."""
    minhash: tuple[np.ndarray, np.ndarray]
    """(class ids sorted, MinHash matrix of each class's union of shingles)."""


def template_hub_cap(config: Config) -> int:
    """Accounts above which a template is a hub (``graph.kinds.template.hub_cap``)."""
    return config.graph.kinds.get("template", KindConfig()).hub_cap


def _check(cfg: TemplateConfig) -> None:
    positive = ("min_accounts", "min_requests", "segment_min_accounts", "segment_min_requests",
                "signature_min_requests", "min_segment_chars", "min_segment_words", "min_scaffold_words",
                "scan_chars", "sample_prompts", "sample_block")
    for name in positive:
        if getattr(cfg, name) < 1:
            raise ConfigError(f"templates.{name}: must be at least 1, got {getattr(cfg, name)}")
    for name in ("min_specificity", "min_match", "min_support", "min_cohesion"):
        if not 0 <= getattr(cfg, name) <= 1:
            raise ConfigError(f"templates.{name}: must be in [0, 1], got {getattr(cfg, name)}")
    for name in ("similarity", "segment_similarity"):
        if not 0 < getattr(cfg, name) <= 1:
            raise ConfigError(f"templates.{name}: must be in (0, 1], got {getattr(cfg, name)}")
    if cfg.num_perm < 4:
        raise ConfigError(f"templates.num_perm: must be at least 4, got {cfg.num_perm}")


def config_fingerprint(config: Config) -> str:
    """Digest of the config values mining depends on."""
    # "writes" names the tables a mining fills: a mining by an older version
    # that did not write request_flags is stale.
    data = {"templates": dataclasses.asdict(config.templates), "hub_cap": template_hub_cap(config),
            "writes": ["request_flags", "request_templates", "templates"]}
    return hashlib.md5(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()


class _Clock:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.timings[name] = round(time.perf_counter() - start, 3)
        log.info("templates: %s %.2fs", name, self.timings[name])


def mine_templates(db: Database, config: Config) -> TemplateResult:
    """Mine prompt templates from ``requests`` and rewrite the template tables.

    Parameters
    ----------
    db : the database; ``requests`` must exist (it always does after
        :meth:`Database.ensure_schema`).
    config : ``config.templates`` sets the thresholds and phrase lists,
        ``config.graph.kinds['template'].hub_cap`` the hub cap.

    Returns
    -------
    TemplateResult

    Notes
    -----
    Writes ``templates``, ``request_templates`` and ``template_state`` in one
    transaction.  Requests with an upstream ``prompt_template_id`` keep that
    id as their template (source ``upstream``) and are not mined.  Cost is
    linear in prompt text scanned (at most ``2 * scan_chars`` characters per
    prompt); Python work is proportional to the number of distinct candidate
    segments and scaffold signatures, not of prompts.
    """
    return _mine(db, config, None)


def _mine(db: Database, config: Config, state: tuple[str, int, int, int] | None) -> TemplateResult:
    """Mine; *state* is the requests_fingerprint row when the caller has it already."""
    cfg = config.templates
    _check(cfg)
    if db.read_only:
        raise DatabaseError(f"database {db.path} is open read-only; mining templates writes to it")
    start = time.perf_counter()
    clock = _Clock()
    result = TemplateResult()
    try:
        with clock.step("fingerprint"):
            fingerprint, result.prompts, result.upstream_requests, _ = state or db.fetch("templates/requests_fingerprint")[0]
        db.script("templates/tpl_macros")
        sample = _Sample.of(result.prompts, cfg.sample_prompts)
        found_cfg = sample.thresholds(cfg)
        long_prompts = _has_long_prompts(db, cfg)
        with clock.step("segments"):
            db.run(
                "templates/tpl_segments",
                {"scan_chars": cfg.scan_chars, "min_segment_chars": cfg.min_segment_chars,
                 "mask_numbers": cfg.mask_numbers, "cut": sample.cut, "block": cfg.sample_block,
                 "long_prompts": long_prompts},
            )
            result.sampled_prompts = (
                result.prompts if sample.everything
                else db.fetch("templates/tpl_sampled", {"cut": sample.cut, "block": cfg.sample_block})[0][0]
            )
        with clock.step("candidates"):
            db.run(
                "templates/tpl_lines",
                {
                    "segment_min_requests": found_cfg.segment_min_requests,
                    "segment_min_accounts": found_cfg.segment_min_accounts,
                    "scan_chars": cfg.scan_chars,
                    "mask_numbers": cfg.mask_numbers,
                    "min_segment_words": cfg.min_segment_words,
                    "cut": sample.cut,
                    "block": cfg.sample_block,
                },
            )
            lines = _segment_classes(db, cfg)
        result.candidate_segments = len(lines.cls)
        result.segment_classes = len(lines.members)
        # Round 1: signatures over every class.  Its groups say which classes
        # are frequent in some group; the rest (a problem sent a few times, a
        # common code line inside a slot) only fragment the signatures.
        with clock.step("round1"):
            first = _Round.run(db, lines, found_cfg, keep=None)
            frequent = first.frequent(found_cfg)
        result.signatures = len(first.sigs)
        # Round 2: the same signatures narrowed to the frequent classes.
        with clock.step("round2"):
            second = _Round.run(db, lines, found_cfg, keep=frequent)
            found = _valid_groups(second, lines, found_cfg)
        result.groups = len(set(second.groups))
        with clock.step("skeletons"):
            _draw_skeletons(db, found, second, lines, cfg, sample.cut)
        with clock.step("assign"):
            _assign(db, found, lines, cfg, sample, long_prompts)
        with clock.step("write"), db.transaction():
            db.script("templates/tpl_clear")
            db.run("templates/request_templates")
            db.run("templates/templates", {"hub_cap": template_hub_cap(config)})
            _write_flags(db, cfg, 0, sample.cut)
            db.run("templates/request_flags_hits")
            mined, upstream, hubs, templated = db.fetch("templates/tpl_written")[0]
            result.templates, result.upstream_templates = int(mined), int(upstream)
            result.hubs, result.templated_requests = int(hubs), int(templated)
            result.seconds = round(time.perf_counter() - start, 3)
            result.timings = clock.timings
            db.run(
                "templates/template_state",
                {
                    "requests_fingerprint": fingerprint,
                    "config_fingerprint": config_fingerprint(config),
                    "seconds": result.seconds,
                    "stats": json.dumps(result.to_dict(), sort_keys=True),
                },
            )
    finally:
        for view in _WORK_VIEWS:
            db.unregister(view)  # a name never registered is no error
        db.script("templates/tpl_drop")
    result.seconds = round(time.perf_counter() - start, 3)
    log.info("templates: %d mined, %d upstream, %d requests templated in %.1fs",
             result.templates, result.upstream_templates, result.templated_requests, result.seconds)
    return result


def _assign(db: Database, found: list[_Template], lines: _Lines, cfg: TemplateConfig, sample: "_Sample",
            long_prompts: bool) -> None:
    """Assign every prompt to a template and flag the prompts outside the sample, in one pass over their text.

    Registers ``tpl_own`` and ``tpl_meta`` (sorting *found* by id) and fills
    ``tpl_hits``, ``tpl_marks``, ``tpl_rows`` and ``tpl_template_stats``.
    """
    found.sort(key=lambda t: t.template_id)
    db.register("tpl_own", _own_table(found, lines))
    db.register("tpl_meta", _meta_table(found, lines, cfg))
    # Masking digits cannot make a segment equal an own one that has no digit.
    masked = cfg.mask_numbers and any(
        _DIGIT_RE.search(lines.member_text[m]) for t in found for c in t.own for m in lines.members[c]
    )
    rest_lo, rest_hi = sample.rest
    db.run("templates/tpl_hits", {"scan_chars": cfg.scan_chars, "mask_numbers": masked, "block": cfg.sample_block,
                                  "rest_lo": rest_lo, "rest_hi": rest_hi, "long_prompts": long_prompts,
                                  **_phrase_patterns(cfg)})
    db.run("templates/tpl_marks", {"n_templates": max(len(found), 1)})
    db.run("templates/tpl_rows")
    db.run("templates/tpl_template_stats", {"min_requests": cfg.min_requests, "min_accounts": cfg.min_accounts})


def _has_long_prompts(db: Database, cfg: TemplateConfig) -> bool:
    """Whether some prompt may be longer than ``2 * scan_chars`` (and so be scanned on its ends only).

    Read from the statistics DuckDB keeps of the column (an upper bound of
    the longest prompt in bytes, which is at least its length in
    characters); when they cannot be read, assume there is one.
    """
    rows = db.fetch("templates/tpl_longest")
    if not rows:
        return False
    stats = rows[0][0]
    longest = stats.get("max_string_length") if isinstance(stats, dict) else None
    return longest is None or int(longest) > 2 * cfg.scan_chars


@dataclass(frozen=True)
class _Sample:
    """Which prompts templates are discovered on: those in the blocks of requests hashing to at most *cut*.

    A block is ``templates.sample_block`` consecutive rows (``tpl_block`` in
    ``tpl_macros``), so the sample is about *size* prompts in whole blocks
    spread over the table: the text of the other blocks is never
    decompressed.

    Attributes
    ----------
    share : expected share of the prompts in the sample (1: every prompt).
    cut : the largest block hash in the sample (UBIGINT).
    """

    share: float
    cut: int

    @classmethod
    def of(cls, prompts: int, size: int) -> "_Sample":
        """A sample of about *size* of *prompts* prompts (every prompt when there are no more)."""
        if prompts <= size:
            return cls(1.0, _MAX_CUT)
        share = size / prompts
        return cls(share, min(_MAX_CUT, int(share * 2**64)))

    @property
    def everything(self) -> bool:
        return self.cut == _MAX_CUT

    @property
    def rest(self) -> tuple[int, int]:
        """The block hashes outside the sample, as an inclusive range (empty for every prompt)."""
        return (1, 0) if self.everything else (self.cut + 1, _MAX_CUT)

    def thresholds(self, cfg: TemplateConfig) -> TemplateConfig:
        """*cfg* with its segment and signature thresholds scaled to the sample, for discovery.

        A segment must still recur in three sampled prompts (with two, the
        sentences of problems resent under paraphrased scaffolds made 64k
        candidates of a 250k sample of the 1M corpus, 16k with three; the
        same templates, at a third of the cost).  ``min_requests``
        is not scaled: a group of a few sampled requests is too thin to
        judge (its lines look specific to it only because the sample holds
        few of their other uses), so a template must have ``min_requests``
        requests in the sample.  Account thresholds are not scaled either.
        Templates found are kept or dropped on their counts over every
        prompt, with the thresholds as configured.
        """
        if self.everything:
            return cfg

        def scaled(n: int, least: int) -> int:
            return min(n, max(least, math.ceil(n * self.share)))

        return dataclasses.replace(
            cfg,
            segment_min_requests=scaled(cfg.segment_min_requests, 3),
            signature_min_requests=scaled(cfg.signature_min_requests, 1),
        )


def flag_requests(db: Database, config: Config) -> int:
    """Rewrite ``request_flags``: the requests whose own prompt contains a configured phrase.

    Mining does this too; call it alone after writing requests and templates
    by other means.  ``reasoning_phrases`` and ``grading_phrases`` of
    ``config.templates`` are matched case-insensitively, literally.  Returns
    the number of flagged requests.
    """
    db.script("templates/tpl_macros")
    with db.transaction():
        db.run("templates/request_flags_clear")
        _write_flags(db, config.templates, 0, _MAX_CUT)
    ((n,),) = db.execute("SELECT count(*) FROM request_flags").fetchall()
    return int(n)


def _phrase_patterns(cfg: TemplateConfig) -> dict[str, str | None]:
    """The phrase lists as the patterns the flag queries take (``None`` for an empty list)."""
    return {"any_pattern": phrase_pattern([*cfg.reasoning_phrases, *cfg.grading_phrases]),
            "reasoning_pattern": phrase_pattern(cfg.reasoning_phrases),
            "grading_pattern": phrase_pattern(cfg.grading_phrases)}


def _write_flags(db: Database, cfg: TemplateConfig, lo: int, hi: int) -> None:
    """Flag the prompts to mine whose block hashes into [lo, hi] and every upstream-templated one."""
    db.run("templates/request_flags", {**_phrase_patterns(cfg), "lo": lo, "hi": hi, "block": cfg.sample_block})


def ensure_templates(db: Database, config: Config, *, state: tuple[str, int, int, int] | None = None) -> TemplateResult:
    """Mine templates unless the last mining saw the same requests and config.

    Returns the new mining's result, or the stored result of the last mining
    with ``mined=False``.  *state* is the ``templates/requests_fingerprint``
    row when the caller has read it already (a detection run reads it once).
    """
    now = state or db.fetch("templates/requests_fingerprint")[0]
    last = db.fetch_dicts("templates/state")
    if (
        last
        and last[0]["requests_fingerprint"] == now[0]
        and last[0]["config_fingerprint"] == config_fingerprint(config)
    ):
        stats = last[0]["stats"]
        stored = json.loads(stats) if isinstance(stats, str) else dict(stats or {})
        known = {f.name for f in dataclasses.fields(TemplateResult)}
        result = TemplateResult(**{k: v for k, v in stored.items() if k in known})
        result.mined = False
        return result
    return _mine(db, config, now)


# -- the Python part: candidate segments and signatures, never the prompts ----


def _segment_classes(db: Database, cfg: TemplateConfig) -> _Lines:
    """Read the candidate segments, MinHash them and group near-duplicates into classes.

    A class stands for a sentence and its small edits (a synonym, a word
    added), so a scaffold paraphrased per account still shares its classes
    across accounts.  Registers ``tpl_seg_class(h, c)`` for the SQL.
    """
    rows = db.fetch_arrow("templates/tpl_line_texts").to_pydict()
    hs, texts, n_words, n_occ = rows["h"], rows["text"], rows["n_words"], rows["n_occurrences"]
    shingles = db.fetch_numpy("templates/tpl_shingles")
    ids, matrix = segment_minhashes(shingles["h"], shingles["sh"], cfg.num_perm)
    labels = near_duplicates(matrix, cfg.segment_similarity)
    members: dict[int, list[int]] = defaultdict(list)
    for h, label in zip(ids.tolist(), labels.tolist()):
        members[label].append(h)
    occ = dict(zip(hs, n_occ))
    text_of = dict(zip(hs, texts))
    words_of = dict(zip(hs, n_words))
    cls: dict[int, int] = {}
    by_class: dict[int, list[int]] = {}
    for group in members.values():
        rep = min(group, key=lambda h: (-occ[h], text_of[h], h))
        by_class[rep] = sorted(group)
        for h in group:
            cls[h] = rep
    class_ids = np.array(sorted(by_class), dtype=np.uint64)
    class_matrix = signature_minhashes([by_class[c] for c in class_ids.tolist()], ids, matrix)
    db.register(
        "tpl_seg_class",
        pa.table({"h": pa.array(list(cls), pa.uint64()), "c": pa.array(list(cls.values()), pa.uint64())}),
    )
    return _Lines(
        text={c: text_of[c] for c in by_class},
        words={c: words_of[c] for c in by_class},
        members=by_class,
        member_text=text_of,
        cls=cls,
        minhash=(class_ids, class_matrix),
    )


def _signatures(db: Database) -> tuple[list[Signature], list[int], list[int]]:
    """The distinct signatures of ``tpl_signatures``, their hashes and example rows."""
    rows = db.fetch_arrow("templates/tpl_signature_rows").to_pydict()
    sigs = [
        Signature(i, tuple(segs), n_req, n_acc)
        for i, (segs, n_req, n_acc) in enumerate(zip(rows["segs"], rows["n_requests"], rows["n_accounts"]))
    ]
    return sigs, rows["sig"], rows["example_rid"]


@dataclass
class _Round:
    """One round of discovery: signatures, their merged groups and the groups' spread."""

    sigs: list[Signature]
    sig_hash: list[int]
    example_rid: list[int]
    discover: list[Signature]
    groups: list[int]
    stats: dict[int, tuple[int, int, float]]

    @classmethod
    def run(cls, db: Database, lines: _Lines, cfg: TemplateConfig, keep: set[int] | None) -> "_Round":
        """Build signatures over all classes (*keep* None) or narrow the last ones to *keep*; merge; measure."""
        if keep is None:
            db.run("templates/tpl_request_signatures")
        else:
            db.register("tpl_keep_list", pa.table({"h": pa.array(sorted(keep), pa.uint64())}))
            db.run("templates/tpl_refine_signatures")
        db.run("templates/tpl_signatures")
        sigs, sig_hash, example_rid = _signatures(db)
        discover = [s for s in sigs if s.n_requests >= cfg.signature_min_requests]
        groups = merge_signatures([s.segments for s in discover], *lines.minhash, threshold=cfg.similarity).tolist()
        db.register(
            "tpl_sig_group",
            pa.table(
                {
                    "sig": pa.array([sig_hash[s.key] for s in discover], pa.uint64()),
                    "grp": pa.array(groups, pa.int64()),
                    "sig_chars": pa.array([sum(len(lines.text[h]) for h in s.segments) for s in discover], pa.int64()),
                }
            ),
        )
        db.run("templates/tpl_groups")
        g = db.fetch_arrow("templates/tpl_group_rows").to_pydict()
        stats = {k: (r, a, c or 0.0) for k, r, a, c in zip(g["grp"], g["n_requests"], g["n_accounts"], g["slot_chars"])}
        return cls(sigs, sig_hash, example_rid, discover, groups, stats)

    def members(self) -> dict[int, list[Signature]]:
        out: dict[int, list[Signature]] = defaultdict(list)
        for sig, grp in zip(self.discover, self.groups):
            out[grp].append(sig)
        return out

    def big_enough(self, grp: int, cfg: TemplateConfig) -> bool:
        n_req, n_acc, _ = self.stats.get(grp, (0, 0, 0.0))
        return n_req >= cfg.min_requests and n_acc >= cfg.min_accounts

    @staticmethod
    def support(members: list[Signature]) -> dict[int, int]:
        """Requests of the group carrying each class."""
        out: dict[int, int] = defaultdict(int)
        for sig in members:
            for h in sig.segments:
                out[h] += sig.n_requests
        return out

    def frequent(self, cfg: TemplateConfig) -> set[int]:
        """Classes carried by at least ``min_support`` of the requests of some big enough group."""
        out: set[int] = set()
        for grp, members in self.members().items():
            if self.big_enough(grp, cfg):
                n_req = self.stats[grp][0]
                out.update(h for h, n in self.support(members).items() if n >= cfg.min_support * n_req)
        return out


def _valid_groups(rnd: _Round, lines: _Lines, cfg: TemplateConfig) -> list[_Template]:
    """Keep the groups that are templates; find each one's scaffold and own classes.

    In a group, a class is *frequent* when at least ``min_support`` of the
    group's requests carry it (every wording of a paraphrased sentence is;
    a problem sent a few times inside the variable part is not), and
    *specific* when more than ``min_specificity`` of all requests carrying it
    are in the group (a line every other prompt has, "Can you help me with
    this?", is specific to no group).  The scaffold is the frequent classes
    of the group's consensus signature, the one whose lines agree with most
    of the group's requests (a common line that turns up in a fifth of them,
    "import numpy as np" in a code slot, is not part of it).  The template's
    own classes are the frequent specific ones, its core the words of those
    in the scaffold.  A group is a template when it has enough requests,
    accounts and variable text (``min_slot_chars``), a scaffold of at least
    ``min_scaffold_words``, and cohesion: at least ``min_cohesion`` of its
    requests carry ``min_match`` of its core.
    """
    words, text = lines.words, lines.text
    total: dict[int, int] = defaultdict(int)
    for sig in rnd.sigs:
        for h in sig.segments:
            total[h] += sig.n_requests
    found = []
    for grp, members in sorted(rnd.members().items()):
        n_req, _, slot_chars = rnd.stats[grp]
        if not rnd.big_enough(grp, cfg) or slot_chars < cfg.min_slot_chars:
            continue
        support = rnd.support(members)
        frequent = {h for h, n in support.items() if n >= cfg.min_support * n_req}
        specific = {h for h, n in support.items() if n > cfg.min_specificity * total[h]}
        # Consensus: each line counts its words times (requests that have it
        # - requests that do not), so a line of the variable part costs more
        # than it adds.
        example = min(
            members,
            key=lambda s: (
                -sum((2 * support[h] - n_req) * words[h] for h in s.segments if h in frequent),
                -s.n_requests,
                -s.n_accounts,
                sorted(text[h] for h in s.segments),
            ),
        )
        scaffold = frozenset(h for h in example.segments if h in frequent)
        own = frozenset(frequent & specific)
        scaffold_words = sum(words[h] for h in scaffold)
        core = sum(words[h] for h in scaffold if h in own)
        if scaffold_words < cfg.min_scaffold_words or core == 0:
            continue
        carried = sum(s.n_requests for s in members if sum(words[h] for h in s.segments if h in own) >= cfg.min_match * core)
        if carried < cfg.min_cohesion * n_req:
            continue
        variants = {frozenset(h for h in s.segments if h in frequent) for s in members}
        found.append(_Template(grp, example.key, scaffold, own, core, scaffold_words, len(variants)))
    return found


def _draw_skeletons(
    db: Database, found: list[_Template], rnd: _Round, lines: _Lines, cfg: TemplateConfig, cut: int
) -> None:
    """Give each template its skeleton (from its example prompt, in the sample below *cut*) and its id."""
    if not found:
        return
    by_grp = {t.grp: t for t in found}
    db.register(
        "tpl_leaders",
        pa.table(
            {
                "grp": pa.array([t.grp for t in found], pa.int64()),
                "rid": pa.array([rnd.example_rid[t.example] for t in found], pa.int64()),
            }
        ),
    )
    rows = db.fetch_arrow(
        "templates/tpl_leader_segments",
        {"scan_chars": cfg.scan_chars, "mask_numbers": cfg.mask_numbers, "cut": cut, "block": cfg.sample_block},
    ).to_pydict()
    taken: set[str] = set()
    for grp, scanned, hashes in sorted(zip(rows["grp"], rows["text"], rows["hashes"])):
        t = by_grp[grp]
        segments = split_segments(scanned)
        if len(segments) != len(hashes):  # the two splitters agree by construction
            raise DatabaseError(f"template skeleton: segment count mismatch ({len(segments)} != {len(hashes)})")
        t.skeleton, canonical = skeleton(segments, [lines.cls.get(h) in t.scaffold for h in hashes])
        tid = template_id(canonical)
        n = 1
        while tid in taken:  # two scaffolds whose normalised text collides
            n += 1
            tid = template_id(f"{canonical}\n#{n}")
        taken.add(tid)
        t.template_id = tid


def _own_table(found: list[_Template], lines: _Lines) -> pa.Table:
    """Every segment of every class a template owns, for the assignment in SQL (``tpl_own``).

    Columns ``h`` (segment hash), ``c`` (its class, numbered from 0), ``t``
    (the template's index in *found*, sorted by id) and ``words`` (the
    class's words).  A class has one owner while ``min_specificity`` is at
    least 1/2.
    """
    cols: dict[str, list[int]] = defaultdict(list)
    owned = [(t, c) for t, tpl in enumerate(found) for c in sorted(tpl.own)]
    for number, (t, c) in enumerate(owned):
        for h in lines.members[c]:
            cols["h"].append(h)
            cols["c"].append(number)
            cols["t"].append(t)
            cols["words"].append(lines.words[c])
    return pa.table(
        {
            "h": pa.array(cols["h"], pa.uint64()),
            "c": pa.array(cols["c"], pa.int32()),
            "t": pa.array(cols["t"], pa.int32()),
            "words": pa.array(cols["words"], pa.int32()),
        }
    )


def _meta_table(found: list[_Template], lines: _Lines, cfg: TemplateConfig) -> pa.Table:
    """What the templates row says about each mined template besides its spread (``tpl_meta``).

    ``t`` is the template's index in *found* (sorted by id), ``need`` the
    words of its core a prompt must carry to be assigned to it.
    """
    cols: dict[str, list] = defaultdict(list)
    for i, t in enumerate(found):
        texts = [t.skeleton] + sorted(lines.member_text[m] for c in t.own for m in lines.members[c])
        reasoning, grading, flags = elicitation_flags(texts, cfg.reasoning_phrases, cfg.grading_phrases)
        cols["t"].append(i)
        cols["template_id"].append(t.template_id)
        cols["need"].append(cfg.min_match * t.core_words)
        cols["skeleton"].append(t.skeleton)
        cols["elicits_reasoning"].append(reasoning)
        cols["grades_outputs"].append(grading)
        cols["flags"].append(flags)
        cols["n_variants"].append(t.n_variants)
        cols["scaffold_words"].append(t.scaffold_words)
    return pa.table(
        {
            "t": pa.array(cols["t"], pa.int32()),
            "template_id": pa.array(cols["template_id"], pa.string()),
            "need": pa.array(cols["need"], pa.float64()),
            "skeleton": pa.array(cols["skeleton"], pa.string()),
            "elicits_reasoning": pa.array(cols["elicits_reasoning"], pa.bool_()),
            "grades_outputs": pa.array(cols["grades_outputs"], pa.bool_()),
            "flags": pa.array(cols["flags"], pa.list_(pa.string())),
            "n_variants": pa.array(cols["n_variants"], pa.int64()),
            "scaffold_words": pa.array(cols["scaffold_words"], pa.int64()),
        }
    )
