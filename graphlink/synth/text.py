"""Prompt text: scaffolds with free-text slots, filled by vectorised word sampling.

A prompt is ``part0 + slot1 + part1 + slot2 + part2`` where the parts come
from a :class:`Scaffolds` table and the slots are free text: words drawn from
the request's topic vocabulary mixed with common words, a different sequence
for every request.  Filling is done with pyarrow (``take`` and
``binary_join``) over whole batches, never row by row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .spec import FUNCTION_WORDS, TOPICS

__all__ = ["Scaffolds", "render", "free_text", "assemble", "N_TOPICS", "TOPIC_NAMES"]

TOPIC_NAMES = tuple(TOPICS)
N_TOPICS = len(TOPIC_NAMES)
_BAG = 4096  # slots per topic bag; a word's share of the bag is its probability
_PHRASES = 4096  # phrases per topic in the pool of one call

_CHOICE_RE = re.compile(r"\{([^{}]*\|[^{}]*)\}")


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[pa.Array, np.ndarray]:
    """All tokens, and one bag of token indices per topic (topic t owns bag[t])."""
    tokens: list[str] = list(FUNCTION_WORDS)
    n_func = len(tokens)
    zipf = 1.0 / np.arange(1, n_func + 1)
    bags = np.empty((N_TOPICS, _BAG), dtype=np.int32)
    for t, name in enumerate(TOPIC_NAMES):
        words = TOPICS[name].split()
        base = len(tokens)
        tokens.extend(words)
        tokens.extend(w + "," for w in words)
        tokens.extend(w + "." for w in words)
        nw = len(words)
        # 40% function words (Zipf), 50% topic words, 5% with a comma, 5% ending a sentence.
        weights = np.concatenate([0.40 * zipf / zipf.sum(), np.full(nw, 0.50 / nw),
                                  np.full(nw, 0.05 / nw), np.full(nw, 0.05 / nw)])
        ids = np.concatenate([np.arange(n_func), base + np.arange(3 * nw)])
        counts = np.floor(weights * _BAG).astype(np.int64)
        counts[n_func] += _BAG - counts.sum()  # rounding remainder to the first topic word
        bags[t] = np.repeat(ids, counts)
    return pa.array(tokens), bags


def _words(rng: np.random.Generator, n_words: np.ndarray, topics: np.ndarray) -> pa.Array:
    """One string per row: ``n_words[i]`` words drawn from topic ``topics[i]``'s bag."""
    tokens, bags = _vocabulary()
    total = int(n_words.sum())
    row_topic = np.repeat(topics, n_words)
    flat = bags.reshape(-1)[row_topic * _BAG + rng.integers(0, _BAG, total, dtype=np.int64)]
    return _join(tokens.take(pa.array(flat)), n_words)


def _join(items: pa.Array, counts: np.ndarray) -> pa.Array:
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return pc.binary_join(pa.LargeListArray.from_arrays(pa.array(offsets), items), " ")


def free_text(rng: np.random.Generator, n_words: np.ndarray, topics: np.ndarray) -> pa.Array:
    """One string per row: about ``n_words[i]`` words of topic ``topics[i]`` joined by spaces.

    Text is made of short phrases (2-6 words) drawn from a pool that is itself
    drawn afresh on every call, so no two calls share their phrases and one
    call's rows share only a few phrases by chance.

    Parameters
    ----------
    rng : the random stream.
    n_words : words per row (0 gives the empty string).
    topics : topic index per row, ``0 <= topic < N_TOPICS``.
    """
    n_words = np.asarray(n_words, dtype=np.int64)
    topics = np.asarray(topics, dtype=np.int64)
    pool_words = rng.integers(2, 7, N_TOPICS * _PHRASES)
    pool = _words(rng, pool_words, np.repeat(np.arange(N_TOPICS), _PHRASES))
    n_phrases = np.where(n_words > 0, np.maximum(1, np.rint(n_words / 4.0)), 0).astype(np.int64)
    row_topic = np.repeat(topics, n_phrases)
    flat = row_topic * _PHRASES + rng.integers(0, _PHRASES, int(n_phrases.sum()), dtype=np.int64)
    return _join(pool.take(pa.array(flat)), n_phrases)


def render(frame: str, rng: np.random.Generator, **names: str) -> tuple[str, str, str]:
    """Render a scaffold frame: make its wording choices, fill names, split at the slots.

    Returns the three fixed parts ``(before slot 1, between the slots, after slot 2)``.
    """
    text = _CHOICE_RE.sub(lambda m: _pick(m.group(1).split("|"), rng), frame)
    for key, value in names.items():
        text = text.replace("{" + key + "}", value)
    head, _, rest = text.partition("<<1>>")
    if "<<2>>" in rest:
        middle, _, tail = rest.partition("<<2>>")
    else:
        middle, tail = rest, ""
    return head, middle, tail


def _pick(options: list[str], rng: np.random.Generator) -> str:
    return options[int(rng.integers(len(options)))]


@dataclass
class Scaffolds:
    """The table of scaffolds a world uses; a scaffold's id is its row number.

    Each row has three fixed parts, word-count ranges for the two slots, a
    ``skew`` (>1 favours short slots), the log-mean of completion tokens, a
    ``kind`` and a ``name``: the true template the scaffold is a variant of,
    shared by every paraphrase of one frame (e.g. ``camp-stealth-03/frame-1``),
    or ``None`` for organic free-form text.
    """

    parts: list[tuple[str, str, str]] = field(default_factory=list)
    slot1: list[tuple[int, int]] = field(default_factory=list)
    slot2: list[tuple[int, int]] = field(default_factory=list)
    skew: list[float] = field(default_factory=list)
    completion: list[float] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    name: list[str | None] = field(default_factory=list)

    def add(self, parts: tuple[str, str, str], kind: str, *, slot1: tuple[int, int],
            slot2: tuple[int, int] = (0, 0), skew: float = 1.0, completion: float = 300.0,
            name: str | None = None) -> int:
        """Append a scaffold and return its id; *name* is its true template (None: organic)."""
        self.parts.append(parts)
        self.slot1.append(slot1)
        self.slot2.append(slot2)
        self.skew.append(skew)
        self.completion.append(float(np.log(completion)))
        self.kind.append(kind)
        self.name.append(name)
        return len(self.parts) - 1

    def add_frame(self, frame: str, rng: np.random.Generator, kind: str, *, slot1: tuple[int, int],
                  slot2: tuple[int, int] | None = None, completion: float = 300.0,
                  name: str | None = None, **names: str) -> int:
        """Render *frame* (see :func:`render`) and append it as a variant of true template *name*;
        a frame with a second slot fills it with ``slot2`` words (default: the ``slot1`` range)."""
        second = (slot2 or slot1) if "<<2>>" in frame else (0, 0)
        return self.add(render(frame, rng, **names), kind, slot1=slot1, slot2=second,
                        completion=completion, name=name)

    def __len__(self) -> int:
        return len(self.parts)

    @property
    def arrays(self) -> "_ScaffoldArrays":
        return _ScaffoldArrays(self)


class _ScaffoldArrays:
    """Column views of a :class:`Scaffolds` table for vectorised lookups."""

    def __init__(self, s: Scaffolds):
        self.part = [pa.array([p[i] for p in s.parts], pa.string()) for i in range(3)]
        self.lo1, self.hi1 = (np.array(c, dtype=np.int64) for c in zip(*s.slot1))
        self.lo2, self.hi2 = (np.array(c, dtype=np.int64) for c in zip(*s.slot2))
        self.skew = np.array(s.skew)
        self.completion = np.array(s.completion)
        self.name = pa.array(s.name, pa.string())


def assemble(rng: np.random.Generator, table: _ScaffoldArrays, sid: np.ndarray,
             topics: np.ndarray) -> pa.Array:
    """Prompts for scaffold ids ``sid``: fixed parts around freshly drawn free text."""
    n = len(sid)
    u = rng.random((2, n)) ** table.skew[sid]
    len1 = table.lo1[sid] + np.floor(u[0] * (table.hi1[sid] - table.lo1[sid] + 1)).astype(np.int64)
    len2 = table.lo2[sid] + np.floor(u[1] * (table.hi2[sid] - table.lo2[sid] + 1)).astype(np.int64)
    text = free_text(rng, np.concatenate([len1, len2]), np.concatenate([topics, topics]))
    idx = pa.array(sid)
    return pc.binary_join_element_wise(
        table.part[0].take(idx), text.slice(0, n), table.part[1].take(idx),
        text.slice(n, n), table.part[2].take(idx), "",
    )
