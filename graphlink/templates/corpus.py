"""A synthetic prompt corpus whose templates are known, for tests and the benchmark.

Prompts come in three kinds, each request labelled with the template it was
stamped from (``truth``, NULL for organic prompts):

- campaign templates: a scaffold of fixed sentences around one or more long
  variable slots (a paragraph-long problem, a code file), sent thousands of
  times by a few dozen accounts.  Some campaigns paraphrase: every sentence
  of their scaffold comes in several wordings, chosen per account or per
  request;
- public templates: one popular scaffold used a few times each by many
  unrelated accounts (a hub, not evidence);
- organic prompts: sentences drawn from the same vocabulary, often with a
  common opener or closer ("Can you help me with this?", "Thanks!") and
  sometimes a code snippet full of common lines ("import numpy as np").

Everything is vectorised (numpy indices, pyarrow ``take`` and element-wise
joins), so ten million prompts take about a minute.  Not a model of real
traffic: a world where the right answer is known.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..db import Database

__all__ = [
    "Scaffold",
    "SLOT_TEXT",
    "SLOT_CODE",
    "CAMPAIGNS",
    "PUBLIC",
    "scaffold_corpus",
    "insert_requests",
    "AssignmentScore",
    "score_assignment",
]

SLOT_TEXT = "<text>"
"""A scaffold part replaced by a paragraph of 3-7 sentences, different in every prompt."""
SLOT_CODE = "<code>"
"""A scaffold part replaced by a 6-14 line code file, different in every prompt."""


@dataclass(frozen=True)
class Scaffold:
    """A template of the corpus.

    Attributes
    ----------
    name : its ground-truth label.
    parts : fixed sentences (each a tuple of alternative wordings, the first
        the plain one) and slots (:data:`SLOT_TEXT`, :data:`SLOT_CODE`).
    paraphrase : ``"none"`` (always the first wording), ``"account"`` (each
        account uses its own small edit of a wording: a word dropped, added or
        replaced, so most of its lines are its alone) or ``"request"`` (every
        request picks one of the wordings anew).
    accounts : how many accounts use it.
    """

    name: str
    parts: tuple[tuple[str, ...] | str, ...]
    paraphrase: str = "none"
    accounts: int = 30


CAMPAIGNS: tuple[Scaffold, ...] = (
    Scaffold(
        "math-cot",
        (
            ("You are an expert mathematician preparing worked solutions for a textbook.",),
            ("Solve the following problem step by step and show your reasoning before the final answer.",),
            SLOT_TEXT,
            ("Give the final answer on its own line after the words Final answer.",),
        ),
        accounts=40,
    ),
    Scaffold(
        "grader",
        (
            ("You are grading answers written by another assistant.",),
            ("Read the question and the candidate response below.",),
            SLOT_TEXT,
            ("Candidate response follows.",),
            SLOT_TEXT,
            ("Score the response from 1 to 10 against the rubric and return the score as a JSON object with keys score and justification.",),
        ),
        accounts=25,
    ),
    Scaffold(
        "code-explain",
        (
            ("Review the following Python file carefully before you answer.",),
            SLOT_CODE,
            ("Explain what every function does and walk through the control flow in detail.",),
            ("Then rewrite the whole file with docstrings and type hints.",),
        ),
        accounts=30,
    ),
    Scaffold(
        "expand-trace",
        (
            (
                "Here is a short reasoning trace written for a hard competition problem.",
                "Below is a brief reasoning trace written for a difficult competition problem.",
            ),
            SLOT_TEXT,
            ("Expand this reasoning into a complete and detailed chain of thought inside thinking tags.",),
            (
                "Do not skip any intermediate step, and check every calculation twice.",
                "Do not leave out any intermediate step, and verify every calculation twice.",
            ),
        ),
        paraphrase="account",
        accounts=60,
    ),
    Scaffold(
        "stealth-cot",
        (
            (
                "Please work through the problem below carefully and thoroughly.",
                "Kindly go through the problem below carefully and in full.",
                "Please work through the task below with great care and thoroughly.",
            ),
            SLOT_TEXT,
            (
                "Lay out every intermediate step of your reasoning before you state the result.",
                "Write out each intermediate step of your reasoning before giving the result.",
                "Lay out all the intermediate steps of your thinking before you state the answer.",
            ),
            (
                "Finish with a one sentence summary of the method you used.",
                "End with a single sentence that summarises the method you used.",
                "Close with a one sentence summary of the approach you took.",
            ),
        ),
        paraphrase="request",
        accounts=80,
    ),
    Scaffold(
        "translate-legal",
        (
            ("Translate the following passage from English into formal legal French.",),
            SLOT_TEXT,
            ("Keep the meaning exact, preserve the paragraph structure and do not add any commentary.",),
        ),
        accounts=12,
    ),
)
"""The campaigns: few accounts, many requests each."""

PUBLIC: tuple[Scaffold, ...] = (
    Scaffold(
        "public-editor",
        (
            ("Act as a professional copy editor and improve the grammar and clarity of the text below without changing its meaning.",),
            SLOT_TEXT,
        ),
        accounts=800,
    ),
    Scaffold(
        "public-summary",
        (
            ("Summarize the following article in three short bullet points for a busy executive.",),
            SLOT_TEXT,
        ),
        accounts=600,
    ),
)
"""Popular public templates: many unrelated accounts, few requests each."""

_OPENERS = (
    "", "", "", "Hello!", "Hi there.", "Can you help me with this?", "Quick question.",
    "I have a question about my homework.", "Good morning.", "I need some help please.",
)
_CLOSERS = (
    "", "", "", "Thanks!", "Thank you so much for your help.", "Please explain it in simple terms.",
    "Can you explain it step by step?", "Keep the answer short.", "Thanks in advance for your help.",
)
_COMMON_WORDS = (
    "the a an is are was to of and in on for with that this it what how why can you me my "
    "please help explain write code problem answer question example simple step make find "
    "number list data file function error work test value time people world best way "
    "should would could about from into over under between after before more most"
).split()
_CODE_COMMON = (
    "import numpy as np", "import pandas as pd", "import os", "def main():", "    return result",
    "if __name__ == \"__main__\":", "    main()", "for i in range(10):", "    pass", "result = []",
)


def _vocabulary(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Made-up words plus common English ones, and Zipf-like weights for drawing them."""
    syll = np.array(["ka", "lo", "mi", "ren", "tas", "vo", "quel", "dar", "ni", "po", "sul", "te", "bra", "gin", "hu", "zor"])
    made_up = {"".join(rng.choice(syll, k)) for k in rng.integers(2, 5, 6000)}
    vocab = np.array(sorted(made_up) + list(_COMMON_WORDS))
    weights = 1.0 / np.arange(1, len(vocab) + 1) ** 0.9
    weights = weights[rng.permutation(len(vocab))]
    return vocab, weights / weights.sum()


def _sentences(rng: np.random.Generator, vocab: tuple[np.ndarray, np.ndarray], n: int) -> pa.Array:
    """n fresh sentences of 6-19 words drawn from the vocabulary, 15% with a number, a fifth questions."""
    words, weights = vocab
    lengths = rng.integers(6, 20, n)
    offsets = np.r_[0, np.cumsum(lengths)]
    tokens = words[rng.choice(len(words), int(offsets[-1]), p=weights)].astype(object)
    numbered = np.flatnonzero(rng.random(n) < 0.15)
    tokens[offsets[numbered] + lengths[numbered] // 2] = rng.integers(2, 5000, len(numbered)).astype(str)
    text = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), pa.array(tokens, pa.string())), " ")
    ending = pc.if_else(pa.array(rng.random(n) < 0.2), pa.scalar("?"), pa.scalar("."))
    return pc.binary_join_element_wise(pc.utf8_capitalize(text), ending, "")


def _code_lines(rng: np.random.Generator, n: int) -> pa.Array:
    """n code lines: a quarter common boilerplate, the rest assignments with fresh names and numbers."""
    names = np.array(["x", "y", "total", "items", "row", "value", "count", "name", "path", "buf"])
    ops = np.array(["+", "-", "*", "//"])
    fresh = pc.binary_join_element_wise(
        pa.array(np.char.add("    ", names[rng.integers(0, len(names), n)])),
        pa.array(rng.integers(0, 100000, n).astype(str)),
        pa.array(np.full(n, " = ")),
        pa.array(names[rng.integers(0, len(names), n)]),
        pa.array(np.char.add(np.char.add(" ", ops[rng.integers(0, len(ops), n)]), " ")),
        pa.array(rng.integers(1, 1000, n).astype(str)),
        "",
    )
    common = pa.array(_CODE_COMMON).take(pa.array(rng.integers(0, len(_CODE_COMMON), n)))
    return pc.if_else(pa.array(rng.random(n) < 0.25), common, fresh)


def _join(columns: Sequence[pa.Array], sep: str) -> pa.Array:
    if len(columns) == 1:
        return columns[0]
    return pc.binary_join_element_wise(*columns, sep)


def _paragraph(rng: np.random.Generator, make, n: int, lo: int, hi: int, sep: str) -> pa.Array:
    """n texts of lo..hi items each (``make(n)`` gives n items), joined with sep."""
    k = rng.integers(lo, hi + 1, n)
    cols = [pc.if_else(pa.array(k > j), make(n), pa.scalar("", pa.string())) for j in range(hi)]
    # Shorter texts leave trailing separators from the empty items.
    return pc.utf8_rtrim(_join(cols, sep), characters=sep)


def _slots(rng: np.random.Generator, kind: str, n: int, pools: dict, reuse: float) -> pa.Array:
    """n slot texts; each distinct text is used about *reuse* times (a problem bank sampled repeatedly)."""
    bank = max(1, int(round(n / reuse)))
    if kind == SLOT_CODE:
        texts = _paragraph(rng, lambda m: _code_lines(rng, m), bank, 6, 14, "\n")
    else:
        texts = _paragraph(rng, lambda m: _sentences(rng, pools["text"], m), bank, 3, 7, " ")
    return texts.take(pa.array(rng.integers(0, bank, n)))


_FILLERS = ("really", "fully", "clearly", "always", "now", "carefully", "also", "then")


def _edits(wordings: tuple[str, ...], n: int, rng: np.random.Generator) -> list[str]:
    """n versions of a sentence: a wording with one small edit each (a word dropped, added or replaced)."""
    out = []
    for _ in range(n):
        words = wordings[int(rng.integers(len(wordings)))].split()
        at = int(rng.integers(1, len(words)))
        op = int(rng.integers(0, 4))
        filler = _FILLERS[int(rng.integers(len(_FILLERS)))]
        if op == 1 and len(words) > 4:
            del words[at]
        elif op == 2:
            words.insert(at, filler)
        elif op == 3:
            words[at] = filler
        out.append(" ".join(words))
    return out


def _stamp(rng, scaffold: Scaffold, accounts: np.ndarray, acc_idx: np.ndarray, pools, reuse: float) -> pa.Array:
    n = len(acc_idx)
    cols = []
    for p, part in enumerate(scaffold.parts):
        if part in (SLOT_TEXT, SLOT_CODE):
            cols.append(_slots(rng, part, n, pools, reuse))
        else:
            wordings = pa.array(list(part))
            if scaffold.paraphrase == "request":
                choice = rng.integers(0, len(part), n)
            elif scaffold.paraphrase == "account":
                edited = pa.array(_edits(part, len(accounts), np.random.default_rng([len(accounts), p, 7])))
                cols.append(edited.take(pa.array(acc_idx)))
                continue
            else:
                choice = np.zeros(n, dtype=np.int64)
            cols.append(wordings.take(pa.array(choice)))
    return _join(cols, "\n")


def scaffold_corpus(
    n_requests: int,
    *,
    seed: int = 0,
    campaign_share: float = 0.35,
    public_share: float = 0.04,
    popular_share: float = 0.05,
    reuse: float = 3.0,
    organic_accounts: int | None = None,
    campaigns: Sequence[Scaffold] = CAMPAIGNS,
    public: Sequence[Scaffold] = PUBLIC,
    start: dt.datetime = dt.datetime(2026, 11, 2),
    days: int = 28,
    offset: int = 0,
) -> pa.Table:
    """Generate requests with known templates.

    Parameters
    ----------
    n_requests : rows to generate.
    seed : everything is a function of it (and of *offset*).
    campaign_share, public_share : shares of requests stamped from the
        campaign and public templates; the rest are organic.
    popular_share : share of organic prompts that ask one of 200 popular
        questions word for word (shared text that is not a template).
    reuse : each slot text (problem, file) is sent about this many times,
        as a campaign samples several answers per problem.
    organic_accounts : how many organic accounts (default ``n_requests // 15``, at least 50).
    offset : first request number, for generating a large corpus in chunks.

    Returns
    -------
    pyarrow.Table
        ``request_id, account_id, ts, prompt, truth`` in random order.
    """
    rng = np.random.default_rng([seed, offset])
    pools = {"text": _vocabulary(np.random.default_rng([seed, 1]))}  # the same for every chunk
    popular = _sentences(np.random.default_rng([seed, 2]), pools["text"], 200)
    n_org_accounts = organic_accounts or max(50, n_requests // 15)
    n_campaign = int(n_requests * campaign_share)
    n_public = int(n_requests * public_share)
    prompts: list[pa.Array] = []
    accounts: list[pa.Array] = []
    truths: list[pa.Array] = []

    def add(scaffold: Scaffold, n: int, account_names: np.ndarray) -> None:
        if n <= 0:
            return
        acc_idx = rng.integers(0, len(account_names), n)
        prompts.append(_stamp(rng, scaffold, account_names, acc_idx, pools, reuse))
        accounts.append(pa.array(account_names[acc_idx]))
        truths.append(pa.array([scaffold.name] * n, pa.string()))

    org_names = np.array([f"u{i:07d}" for i in range(n_org_accounts)])
    for k, scaffold in enumerate(campaigns):
        names = np.array([f"c{k}-{i:04d}" for i in range(scaffold.accounts)])
        add(scaffold, n_campaign // len(campaigns), names)
    for scaffold in public:
        pick = np.random.default_rng([seed, len(scaffold.name)]).permutation(n_org_accounts)[: scaffold.accounts]
        add(scaffold, n_public // len(public), org_names[pick])
    n_org = n_requests - sum(len(a) for a in accounts)
    if n_org > 0:
        zipf = np.minimum(rng.zipf(1.6, n_org) - 1, n_org_accounts - 1)
        body_text = _paragraph(rng, lambda m: _sentences(rng, pools["text"], m), n_org, 1, 3, " ")
        body_code = pc.binary_join_element_wise(
            pa.array(np.full(n_org, "Why does this code not work?")),
            _paragraph(rng, lambda m: _code_lines(rng, m), n_org, 3, 8, "\n"),
            "\n",
        )
        body_popular = popular.take(pa.array(rng.integers(0, len(popular), n_org)))
        kind = rng.random(n_org)
        body = pc.if_else(
            pa.array(kind < popular_share), body_popular, pc.if_else(pa.array(kind < popular_share + 0.15), body_code, body_text)
        )
        opener = pa.array(_OPENERS).take(pa.array(rng.integers(0, len(_OPENERS), n_org)))
        closer = pa.array(_CLOSERS).take(pa.array(rng.integers(0, len(_CLOSERS), n_org)))
        prompts.append(pc.utf8_trim_whitespace(_join([opener, body, closer], " ")))
        accounts.append(pa.array(org_names[(zipf * 7919) % n_org_accounts]))
        truths.append(pa.nulls(n_org, pa.string()))
    order = pa.array(rng.permutation(n_requests))
    secs = rng.integers(0, days * 86400, n_requests)
    ts = pa.array(np.datetime64(start, "s") + secs.astype("timedelta64[s]"), pa.timestamp("us"))
    ids = pa.array(np.char.add("r", (np.arange(n_requests) + offset).astype(str)))
    return pa.table(
        {
            "request_id": ids,
            "account_id": pa.chunked_array(accounts).take(order),
            "ts": ts,
            "prompt": pa.chunked_array(prompts).take(order),
            "truth": pa.chunked_array(truths).take(order),
        }
    )


def insert_requests(db: Database, table: pa.Table) -> int:
    """Append corpus rows to ``requests`` (placeholder network fields; truth kept in ``extra``)."""
    db.register("corpus_requests", table)
    try:
        db.run("templates/corpus_requests")
    finally:
        db.unregister("corpus_requests")
    return table.num_rows


@dataclass
class AssignmentScore:
    """How well mined templates match the truth, per request (B-cubed).

    Attributes
    ----------
    precision : over requests given a template: the share of their mined
        template's requests that share their true template (an organic
        prompt given a template scores 1 / template size, nearly 0).
    recall : over requests that truly have a template: the share of their
        true template's requests that share their mined template (a request
        left without one scores 1 / true template size).
    f1 : harmonic mean of the two.
    coverage : share of truly templated requests given some template.
    false_templated : share of organic requests given a template.
    truth_templates, mined_templates : how many of each.
    per_truth : for every true template, its requests and the mined
        templates they went to (id -> requests, None for no template).
    """

    precision: float
    recall: float
    f1: float
    coverage: float
    false_templated: float
    truth_templates: int
    mined_templates: int
    templated_requests: int
    organic_requests: int
    per_truth: dict[str, dict[str | None, int]]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def score_assignment(db: Database) -> AssignmentScore:
    """Score ``request_templates`` against ``requests.extra.truth_template`` (see :class:`AssignmentScore`)."""
    cells = db.fetch("templates/truth_assignment")
    truth_size: dict[str, int] = defaultdict(int)
    mined_size: dict[str, int] = defaultdict(int)
    for truth, tid, n in cells:
        if truth is not None:
            truth_size[truth] += n
        if tid is not None:
            mined_size[tid] += n
    p_sum = r_sum = 0.0
    assigned = covered = organic = organic_templated = 0
    per_truth: dict[str, dict[str | None, int]] = defaultdict(dict)
    for truth, tid, n in cells:
        if tid is not None:
            assigned += n
            p_sum += n * (n / mined_size[tid] if truth is not None else 1 / mined_size[tid])
        if truth is not None:
            per_truth[truth][tid] = n
            r_sum += n * (n / truth_size[truth] if tid is not None else 1 / truth_size[truth])
            covered += n if tid is not None else 0
        else:
            organic += n
            organic_templated += n if tid is not None else 0
    templated = sum(truth_size.values())
    precision = p_sum / assigned if assigned else 1.0
    recall = r_sum / templated if templated else 1.0
    return AssignmentScore(
        precision=precision,
        recall=recall,
        f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        coverage=covered / templated if templated else 1.0,
        false_templated=organic_templated / organic if organic else 0.0,
        truth_templates=len(truth_size),
        mined_templates=len(mined_size),
        templated_requests=templated,
        organic_requests=organic,
        per_truth={k: dict(v) for k, v in sorted(per_truth.items())},
    )
