"""Readable skeletons, deterministic template ids and elicitation flags.

These work on the handful of texts that describe a template (its example
prompt and its scaffold segments), never on the prompt stream.
"""

from __future__ import annotations

import hashlib
import re
from typing import Iterable, Sequence

__all__ = ["SLOT", "NUMBER", "normalise", "split_segments", "skeleton", "template_id", "elicitation_flags", "phrase_pattern"]

SLOT = "«…»"
"""Marks a variable part of a skeleton."""
NUMBER = "«n»"
"""Marks a number inside a scaffold line."""

# The same cut as the SQL macro tpl_split (queries/templates/tpl_macros.sql),
# replacement for replacement, in the same order.
_CUTS = (". ", "? ", "! ", ": ", "; ")
_DIGITS_RE = re.compile(r"[0-9]+")


def normalise(text: str) -> str:
    """Lower-case, digit runs replaced by ``0`` (as the SQL macro ``tpl_norm``)."""
    return _DIGITS_RE.sub("0", text.lower())


def split_segments(text: str) -> list[str]:
    """Cut text into lines and sentences exactly as the SQL macro ``tpl_split`` does.

    >>> split_segments("Solve this. Show work:\nx")
    ['Solve this.', 'Show work:', 'x']
    """
    for cut in _CUTS:
        text = text.replace(cut, cut[0] + "\n")
    return text.split("\n")


def skeleton(segments: Sequence[str], is_scaffold: Sequence[bool]) -> tuple[str, str]:
    """Draw a skeleton from one example prompt.

    Parameters
    ----------
    segments : the example prompt's segments in order (:func:`split_segments`).
    is_scaffold : whether each segment is part of the template's scaffold.

    Returns
    -------
    (display, canonical)
        *display*: scaffold segments one per line, numbers shown as «n», each
        run of non-scaffold text as one «…» line.  *canonical*: the same with
        normalised scaffold text, the input of :func:`template_id`.
    """
    display: list[str] = []
    canonical: list[str] = []
    for seg, fixed in zip(segments, is_scaffold):
        text = seg.strip()
        if fixed:
            display.append(_DIGITS_RE.sub(NUMBER, text))
            canonical.append(normalise(text))
        elif text and (not display or display[-1] != SLOT):
            display.append(SLOT)
            canonical.append(SLOT)
    return "\n".join(display), "\n".join(canonical)


def template_id(canonical: str) -> str:
    """``T-`` and the first 10 hex digits of the MD5 of the canonical skeleton.

    Stable across runs, machines and DuckDB versions (DuckDB's ``hash`` is not
    promised to be).
    """
    return "T-" + hashlib.md5(canonical.encode("utf-8")).hexdigest()[:10]


def phrase_pattern(phrases: Sequence[str]) -> str | None:
    """A case-insensitive RE2 pattern matching any of *phrases* literally (``None`` when there are none)."""
    parts = [re.sub(r"([\\.^$|?*+()\[\]{}])", r"\\\1", p) for p in phrases if p]
    return "(?i)" + "|".join(parts) if parts else None


def elicitation_flags(
    texts: Iterable[str], reasoning_phrases: Sequence[str], grading_phrases: Sequence[str]
) -> tuple[bool, bool, list[str]]:
    """Which configured phrases the scaffold texts contain (case-insensitive substrings).

    Returns
    -------
    (elicits_reasoning, grades_outputs, flags)
        *flags* lists ``reasoning:<phrase>`` and ``grading:<phrase>`` for every
        phrase found, sorted.
    """
    blob = "\n".join(t.lower() for t in texts)
    found = sorted(
        {f"reasoning:{p}" for p in reasoning_phrases if p and p.lower() in blob}
        | {f"grading:{p}" for p in grading_phrases if p and p.lower() in blob}
    )
    reasoning = any(f.startswith("reasoning:") for f in found)
    grading = any(f.startswith("grading:") for f in found)
    return reasoning, grading, found
