"""The pieces of template mining: MinHash matrices, LSH grouping, segment cutting, skeletons, flags."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from graphlink.db import Database
from graphlink.templates.merge import lsh_pairs, merge_signatures, near_duplicates, segment_minhashes
from graphlink.templates.scaffold import (
    NUMBER,
    SLOT,
    elicitation_flags,
    normalise,
    skeleton,
    split_segments,
    template_id,
)


def _datasketch(values, num_perm):
    m = MinHash(num_perm=num_perm, seed=1, hashfunc=lambda x: x)
    m.update_batch(list(values))
    return m.hashvalues


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=12, unique=True), min_size=1, max_size=8),
    st.sampled_from([4, 16, 64]),
)
def test_segment_minhashes_equal_datasketch(sets, num_perm):
    owner = np.repeat(np.arange(len(sets)) * 10 + 3, [len(s) for s in sets])
    shingle = np.array([v for s in sets for v in s], dtype=np.uint32)
    ids, matrix = segment_minhashes(owner, shingle, num_perm)
    assert ids.tolist() == [i * 10 + 3 for i in range(len(sets))]
    for row, values in zip(matrix, sets):
        assert row.tolist() == _datasketch(values, num_perm).tolist()


def _matrix(sets, num_perm=64):
    owner = np.repeat(np.arange(len(sets)), [len(s) for s in sets])
    return segment_minhashes(owner, np.array([v for s in sets for v in s], dtype=np.uint32), num_perm)


def test_near_duplicates_joins_overlapping_sets_and_keeps_others_apart():
    rng = np.random.default_rng(0)
    base = rng.choice(2**31, 100, replace=False)
    other = rng.choice(2**31, 100, replace=False) + 2**31
    sets = [
        base,                              # 0
        np.r_[base[:95], other[:5]],       # 1: Jaccard 95/105 with 0
        other,                             # 2: disjoint from 0
        np.r_[base[5:], other[50:55]],     # 3: 95/105 with 0
        other[:10],                        # 4: 10/100 with 2
    ]
    _, matrix = _matrix(sets)
    groups = near_duplicates(matrix, 0.6)
    assert groups.tolist() == [0, 0, 2, 0, 4]


def test_near_duplicates_is_transitive_along_a_chain():
    # Each set shares 80 of 100 elements with the next, so the ends share only 60.
    sets = [np.arange(20 * k, 20 * k + 100) for k in range(5)]
    _, matrix = _matrix(sets, 128)
    assert near_duplicates(matrix, 0.6).tolist() == [0, 0, 0, 0, 0]
    assert near_duplicates(matrix, 0.95).tolist() == [0, 1, 2, 3, 4]


def test_lsh_pairs_finds_identical_rows_at_any_threshold():
    _, matrix = _matrix([np.arange(50), np.arange(1000, 1050), np.arange(50)])
    for threshold in (0.3, 0.6, 1.0):
        assert lsh_pairs(matrix, threshold).tolist() == [[0, 2]]


def test_merge_signatures_unions_segment_minhashes():
    # Segments 10, 20, 30 hold 40 shingles each; signature {10, 20, 30} and
    # {10, 20} share 80 of 120 shingles (2/3), {30} alone shares 40 of 120.
    sets = [np.arange(0, 40), np.arange(100, 140), np.arange(200, 240)]
    owner = np.repeat([10, 20, 30], 40)
    ids, matrix = segment_minhashes(owner, np.concatenate(sets).astype(np.uint32), 128)
    groups = merge_signatures([(10, 20, 30), (10, 20), (30,)], ids, matrix, threshold=0.55)
    assert groups.tolist() == [0, 0, 2]


def test_empty_inputs():
    ids, matrix = segment_minhashes(np.array([], dtype=np.uint64), np.array([], dtype=np.uint32), 8)
    assert len(ids) == 0 and matrix.shape == (0, 8)
    assert near_duplicates(matrix, 0.5).tolist() == []


@pytest.fixture(scope="module")
def macros():
    with Database(":memory:") as db:
        db.script("templates/tpl_macros")
        yield db


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .:;!?\n\t,3É")), max_size=60))
def test_python_cut_agrees_with_the_sql_macro(macros, text):
    assert split_segments(text) == macros.fetchone("SELECT tpl_split($t)", {"t": text})[0]
    # Normalising never adds or removes a cut, so segment i of the
    # normalised text is segment i of the text as written.
    normalised = macros.fetchone("SELECT tpl_split(tpl_norm($t, TRUE))", {"t": text})[0]
    assert normalised == [normalise(s) for s in split_segments(text)]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aB .:;!?\n,07É")), max_size=70), st.integers(4, 40), st.booleans())
def test_the_text_pass_cuts_every_prompt_as_the_macros_do(macros, text, scan, mask):
    """tpl_prompt_cuts (mining's text pass) and tpl_hashes (skeletons) must agree segment for segment."""
    macros.execute("DELETE FROM requests")
    macros.execute(
        "INSERT INTO requests (request_id, account_id, ts, ip, ip_version, ip_num, ip_prefix, prompt) "
        "VALUES ('r1', 'a1', TIMESTAMP '2026-11-02 09:00', '198.51.100.7', 4, 3325256711, '198.51.100.0/24', $p)",
        {"p": text},
    )
    scanned = text if len(text) <= 2 * scan else text[:scan] + "\n" + text[-scan:]
    expected = [normalise(s) if mask else s.lower() for s in split_segments(scanned)]
    for long in (True, False) if len(text.encode()) <= 2 * scan else (True,):
        segs = macros.fetchone(
            "SELECT segs FROM tpl_prompt_cuts($n, $mask, 2048, 0::UBIGINT, 18446744073709551615::UBIGINT, $long)",
            {"n": scan, "mask": mask, "long": long},
        )[0]
        assert segs == expected
    hashes = macros.fetchone("SELECT tpl_hashes(prompt, $n, $mask) FROM requests", {"n": scan, "mask": mask})[0]
    assert hashes == macros.fetchone("SELECT list_transform($s::VARCHAR[], lambda x: hash(x))", {"s": expected})[0]


def test_the_sql_macros_normalise_and_count_words(macros):
    assert macros.fetchone("SELECT tpl_norm('Question 17 of 200:', TRUE)")[0] == "question 0 of 0:"
    assert normalise("Question 17 of 200:") == "question 0 of 0:"
    assert macros.fetchone("SELECT tpl_norm('Question 17 of 200:', FALSE)")[0] == "question 17 of 200:"
    # Solve, it, x, then, y (1 is a number, not a word); b2b is a word
    assert macros.fetchone("SELECT tpl_words('Solve it: x-1, then «y»!')")[0] == 5
    assert macros.fetchone("SELECT tpl_words('b2b 2024 x0 = y // 0')")[0] == 3
    long = "a" * 50 + "MIDDLE" + "b" * 50
    assert macros.fetchone("SELECT tpl_scan($p, 20)", {"p": long})[0] == "a" * 20 + "\n" + "b" * 20
    assert macros.fetchone("SELECT tpl_scan($p, 60)", {"p": long})[0] == long


def test_split_segments_keeps_punctuation():
    assert split_segments("Solve this. Show work:\nx") == ["Solve this.", "Show work:", "x"]
    assert split_segments("") == [""]


def test_skeleton_marks_slots_and_numbers():
    segments = ["You are a grader.", "", "Question 12 of 40:", "some text", "more text", "Score it 1-10.", "tail"]
    fixed = [True, False, True, False, False, True, False]
    display, canonical = skeleton(segments, fixed)
    assert display == "\n".join(["You are a grader.", f"Question {NUMBER} of {NUMBER}:", SLOT, f"Score it {NUMBER}-{NUMBER}.", SLOT])
    assert canonical == "\n".join(["you are a grader.", "question 0 of 0:", SLOT, "score it 0-0.", SLOT])


def test_template_id_is_a_short_stable_digest():
    assert template_id("a\n«…»") == template_id("a\n«…»")
    assert template_id("a\n«…»") != template_id("b\n«…»")
    tid = template_id("you are a grader.")
    assert tid.startswith("T-") and len(tid) == 12 and int(tid[2:], 16) >= 0


def test_elicitation_flags_match_phrases_case_insensitively():
    texts = ["Think STEP BY STEP inside <Thinking> tags.", "Then grade the answer."]
    reasoning, grading, flags = elicitation_flags(texts, ["step by step", "<thinking>", "chain of thought"], ["grade the", "rubric"])
    assert (reasoning, grading) == (True, True)
    assert flags == ["grading:grade the", "reasoning:<thinking>", "reasoning:step by step"]
    assert elicitation_flags(["Translate this."], ["step by step"], ["rubric"]) == (False, False, [])
