"""Template mining on hand-built prompts in a real DuckDB file.

Every prompt set is built here with a seeded generator, so the expected
templates are known by construction: which requests were stamped from which
scaffold, and what the scaffold says.
"""

from __future__ import annotations

import datetime as dt
import random

import pyarrow as pa
import pytest

from graphlink.config import Config
from graphlink.db import Database
from graphlink.errors import ConfigError, DatabaseError, NotFoundError
from graphlink.templates import (
    ensure_templates,
    flag_requests,
    mine_templates,
    template_detail,
    template_listing,
)
from graphlink.templates.corpus import CAMPAIGNS, PUBLIC as PUBLIC_SCAFFOLDS, SLOT_TEXT, insert_requests, scaffold_corpus, score_assignment
from graphlink.templates.scaffold import SLOT

T0 = dt.datetime(2026, 11, 2, 9, 0)

WORDS = (
    "river stone lantern copper violin meadow harbor signal orbit canvas basket thunder marble "
    "garden ladder pepper saddle velvet engine island mirror pocket rocket candle blanket "
    "winter summer shadow forest button pillow carpet planet bridge castle hammer jacket"
).split()
COMMON = "the a to of and in is it you me my for with this that what how can please help".split()


def sentence(rng: random.Random, n: int | None = None) -> str:
    """A fresh sentence: random words, capitalised, with a full stop."""
    n = n or rng.randint(8, 14)
    words = [rng.choice(WORDS + COMMON) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    """A paragraph-long slot: 4 to 7 fresh sentences on one line."""
    return " ".join(sentence(rng) for _ in range(rng.randint(4, 7)))


def load(db: Database, rows: list[tuple[str, str, str | None]], truth: list[str | None] | None = None) -> None:
    """Insert (request_id, account_id, prompt) rows, one minute apart."""
    n = len(rows)
    insert_requests(
        db,
        pa.table(
            {
                "request_id": [r[0] for r in rows],
                "account_id": [r[1] for r in rows],
                "ts": pa.array([T0 + dt.timedelta(minutes=i) for i in range(n)], pa.timestamp("us")),
                "prompt": [r[2] for r in rows],
                "truth": truth or [None] * n,
            }
        ),
    )


def templates_of(db: Database) -> dict[str, dict]:
    rows = db.execute("SELECT * FROM templates").fetchall()
    cols = [d[0] for d in db.execute("SELECT * FROM templates LIMIT 0").description]
    return {r[0]: dict(zip(cols, r)) for r in rows}


def assignment(db: Database) -> dict[str, str]:
    return dict(db.execute("SELECT request_id, template_id FROM request_templates").fetchall())


def flags_of(db: Database) -> dict[str, tuple[bool, bool]]:
    return {r: (a, b) for r, a, b in db.execute("SELECT request_id, reasoning, grading FROM request_flags").fetchall()}


MATH = (
    "You are an expert mathematician preparing worked solutions for a textbook.",
    "Solve the following problem step by step and show your reasoning before the final answer.",
    "Give the final answer on its own line after the words Final answer.",
)


def math_prompt(rng: random.Random) -> str:
    return f"{MATH[0]}\n{MATH[1]}\n{paragraph(rng)}\n{MATH[2]}"


@pytest.fixture
def db(tmp_path):
    with Database(tmp_path / "t.duckdb") as database:
        yield database


def test_scaffold_around_a_different_paragraph_in_every_prompt_is_found(db):
    rng = random.Random(1)
    rows = [(f"m{i}", f"acct{i % 5}", math_prompt(rng)) for i in range(40)]
    load(db, rows)
    result = mine_templates(db, Config())
    templates = templates_of(db)
    assert result.templates == 1 and len(templates) == 1
    (t,) = templates.values()
    # The scaffold's three sentences in order, the paragraph between the
    # second and the third as one slot.
    assert t["skeleton"] == "\n".join([MATH[0], MATH[1], SLOT, MATH[2]])
    assert (t["n_requests"], t["n_accounts"], t["source"]) == (40, 5, "mined")
    assert (t["first_seen"], t["last_seen"]) == (T0, T0 + dt.timedelta(minutes=39))
    assert assignment(db) == {f"m{i}": t["template_id"] for i in range(40)}
    assert t["elicits_reasoning"] and not t["grades_outputs"]
    assert {"reasoning:step by step", "reasoning:show your reasoning"} <= set(t["flags"])


def test_template_ids_are_stable_and_made_from_the_scaffold(db, tmp_path):
    rng = random.Random(2)
    load(db, [(f"m{i}", f"acct{i % 4}", math_prompt(rng)) for i in range(30)])
    mine_templates(db, Config())
    first = set(templates_of(db))
    mine_templates(db, Config())
    assert set(templates_of(db)) == first
    # Another database with other slot text and other accounts: same scaffold, same id.
    with Database(tmp_path / "other.duckdb") as other:
        rng = random.Random(99)
        load(other, [(f"x{i}", f"other{i % 6}", math_prompt(rng)) for i in range(25)])
        mine_templates(other, Config())
        assert set(templates_of(other)) == first
        assert next(iter(first)).startswith("T-")


# The stealth campaign of the corpus: three wordings of each of its three sentences.
STEALTH = tuple(p for p in next(c for c in CAMPAIGNS if c.name == "stealth-cot").parts if p != SLOT_TEXT)


def test_paraphrased_variants_of_one_scaffold_land_in_one_template(db):
    rng = random.Random(3)
    assert len(STEALTH) == 3 and all(len(w) == 3 for w in STEALTH)
    rows = []
    for i in range(90):
        first, second, third = (rng.choice(wordings) for wordings in STEALTH)
        rows.append((f"s{i}", f"acct{i % 9}", f"{first}\n{paragraph(rng)}\n{second}\n{third}"))
    load(db, rows)
    mine_templates(db, Config())
    templates = templates_of(db)
    assert len(templates) == 1
    (t,) = templates.values()
    assert t["n_requests"] == 90 and t["n_variants"] > 1
    assert set(assignment(db).values()) == {t["template_id"]}
    assert len(assignment(db)) == 90


def test_each_account_editing_the_scaffold_its_own_way_is_still_one_template(db):
    # Every account rewrites each sentence slightly (a word inserted,
    # dropped or replaced), so no line is shared by two accounts.
    rng = random.Random(4)
    fillers = ["really", "fully", "clearly", "always", "now", "also", "then", "kindly"]
    rows = []
    for a in range(12):
        edited = []
        for s in MATH:
            words = s.split()
            at = rng.randrange(1, len(words))
            op = a % 3
            if op == 0:
                words.insert(at, fillers[a % len(fillers)])
            elif op == 1:
                del words[at]
            else:
                words[at] = fillers[(a + 3) % len(fillers)]
            edited.append(" ".join(words))
        assert len({e for e in edited}) == 3
        for k in range(10):
            rows.append((f"e{a}-{k}", f"acct{a}", f"{edited[0]}\n{edited[1]}\n{paragraph(rng)}\n{edited[2]}"))
    load(db, rows)
    lines = db.execute(
        "SELECT count(DISTINCT split_part(prompt, chr(10), 1)) FROM requests"
    ).fetchone()[0]
    assert lines >= 10  # the accounts' first lines really differ
    mine_templates(db, Config())
    templates = templates_of(db)
    assert len(templates) == 1
    (t,) = templates.values()
    assert (t["n_requests"], t["n_accounts"]) == (120, 12)


ORGANIC_OPENERS = ["Hello", "Hi!", "Thanks!", "Can you help me with this?", "Quick question.", ""]


def organic_prompt(rng: random.Random) -> str:
    """Common words in a fresh order, sometimes a common opener or closer."""
    body = " ".join(
        " ".join(rng.choice(COMMON + WORDS[:8]) for _ in range(rng.randint(5, 12))).capitalize() + "?"
        for _ in range(rng.randint(1, 3))
    )
    return f"{rng.choice(ORGANIC_OPENERS)} {body} {rng.choice(ORGANIC_OPENERS)}".strip()


def test_organic_prompts_sharing_common_words_and_greetings_get_no_template(db):
    rng = random.Random(5)
    rows = [(f"o{i}", f"user{rng.randrange(150)}", organic_prompt(rng)) for i in range(1500)]
    load(db, rows)
    # The prompts do share a lot: every word comes from 29 common ones, and
    # most carry one of the same five greetings.
    greeted = db.execute("SELECT count(*) FROM requests WHERE prompt LIKE 'Can you help me with this?%'").fetchone()[0]
    assert greeted > 150
    result = mine_templates(db, Config())
    assert result.templates == 0
    assert templates_of(db) == {} and assignment(db) == {}


def test_organic_prompts_do_not_join_a_real_template(db):
    rng = random.Random(6)
    rows = [(f"m{i}", f"acct{i % 5}", math_prompt(rng)) for i in range(40)]
    rows += [(f"o{i}", f"user{rng.randrange(80)}", organic_prompt(rng)) for i in range(600)]
    load(db, rows)
    mine_templates(db, Config())
    got = assignment(db)
    assert set(got) == {f"m{i}" for i in range(40)}
    assert len(set(got.values())) == 1


def test_the_same_prompt_repeated_by_many_accounts_is_not_a_template(db):
    # No variable part: a repeated prompt, not a scaffold.
    text = "Write a short poem about the sea at night in the style of a sailor's song."
    load(db, [(f"p{i}", f"user{i % 30}", text) for i in range(60)])
    assert mine_templates(db, Config()).templates == 0


PUBLIC = "Act as a professional copy editor and improve the grammar and clarity of the text below without changing its meaning."


def test_public_template_used_by_many_unrelated_accounts_is_a_hub(db):
    rng = random.Random(7)
    rows = [(f"p{i}", f"stranger{i}", f"{PUBLIC}\n{paragraph(rng)}") for i in range(60)]  # 60 accounts, 1 each
    rows += [(f"m{i}", f"ring{i % 5}", math_prompt(rng)) for i in range(40)]  # 5 accounts
    load(db, rows)
    config = Config().with_overrides({"graph.kinds.template.hub_cap": 50})
    result = mine_templates(db, config)
    templates = templates_of(db)
    by_accounts = {t["n_accounts"]: t for t in templates.values()}
    assert set(by_accounts) == {60, 5}
    assert by_accounts[60]["is_hub"] and not by_accounts[5]["is_hub"]
    assert by_accounts[60]["skeleton"] == f"{PUBLIC}\n{SLOT}"
    assert result.hubs == 1


def test_grading_and_reasoning_phrases_are_flagged_from_the_config(db):
    rng = random.Random(8)
    grader = (
        "You are grading answers written by another assistant against a rubric.",
        "Return the score as a JSON object with keys score and justification.",
    )
    rows = [(f"g{i}", f"acct{i % 4}", f"{grader[0]}\n{paragraph(rng)}\n{grader[1]}") for i in range(30)]
    load(db, rows)
    mine_templates(db, Config())
    (t,) = templates_of(db).values()
    assert t["grades_outputs"] and not t["elicits_reasoning"]
    assert {"grading:rubric", "grading:json object"} <= set(t["flags"])
    config = Config().with_overrides({"templates.reasoning_phrases": ["another assistant"], "templates.grading_phrases": []})
    mine_templates(db, config)
    (t,) = templates_of(db).values()
    assert t["elicits_reasoning"] and not t["grades_outputs"]
    assert t["flags"] == ["reasoning:another assistant"]


def test_requests_whose_own_prompt_has_a_phrase_are_flagged_so_scoring_never_reads_prompts(db):
    load(db, [
        ("r1", "a", "Please THINK STEP BY STEP about this."),       # reasoning (default phrase, any case)
        ("r2", "a", "Grade it against the rubric below."),          # grading
        ("r3", "b", "what is the capital of France?"),              # neither: no row
        ("r4", "b", None),                                          # no prompt: no row
    ])
    mine_templates(db, Config())
    rows = db.execute("SELECT request_id, reasoning, grading FROM request_flags ORDER BY request_id").fetchall()
    assert rows == [("r1", True, False), ("r2", False, True)]
    config = Config().with_overrides({"templates.reasoning_phrases": ["capital of"], "templates.grading_phrases": []})
    assert flag_requests(db, config) == 1
    assert db.execute("SELECT request_id, reasoning, grading FROM request_flags").fetchall() == [("r3", True, False)]


def test_upstream_template_ids_are_used_as_given(db):
    rng = random.Random(9)
    load(db, [(f"m{i}", f"acct{i % 5}", math_prompt(rng)) for i in range(40)])
    for i in range(7):
        db.execute(
            "INSERT INTO requests (request_id, account_id, ts, ip, ip_version, ip_num, ip_prefix, prompt, prompt_template_id) "
            "VALUES ($id, $acc, $ts, '198.51.100.7', 4, 3325256711, '198.51.100.0/24', NULL, $tpl)",
            {"id": f"u{i}", "acc": f"up{i % 3}", "ts": T0 + dt.timedelta(hours=i), "tpl": "provider-tpl-42" if i < 5 else "provider-tpl-7"},
        )
    result = mine_templates(db, Config())
    templates = templates_of(db)
    assert (result.upstream_templates, result.templates, result.upstream_requests) == (2, 1, 7)
    up = templates["provider-tpl-42"]
    assert (up["source"], up["skeleton"], up["n_requests"], up["n_accounts"]) == ("upstream", None, 5, 3)
    assert (up["first_seen"], up["last_seen"]) == (T0, T0 + dt.timedelta(hours=4))
    got = assignment(db)
    assert {k: v for k, v in got.items() if k.startswith("u")} == {
        f"u{i}": ("provider-tpl-42" if i < 5 else "provider-tpl-7") for i in range(7)
    }
    assert len(got) == 47


def test_ensure_templates_mines_again_only_when_requests_or_config_change(db):
    rng = random.Random(10)
    load(db, [(f"m{i}", f"acct{i % 5}", math_prompt(rng)) for i in range(40)])
    assert ensure_templates(db, Config()).mined
    again = ensure_templates(db, Config())
    assert not again.mined and again.templates == 1 and again.templated_requests == 40
    load(db, [("late", "acct1", math_prompt(rng))])
    late = ensure_templates(db, Config())
    assert late.mined and late.templated_requests == 41
    assert ensure_templates(db, Config().with_overrides({"templates.min_accounts": 6})).mined
    assert templates_of(db) == {}  # five accounts are too few now


def test_thresholds_decide_what_is_a_template(db):
    rng = random.Random(11)
    load(db, [(f"m{i}", f"acct{i % 3}", math_prompt(rng)) for i in range(19)])  # 3 accounts, 19 requests
    assert mine_templates(db, Config()).templates == 0  # min_requests is 20
    assert mine_templates(db, Config().with_overrides({"templates.min_requests": 19})).templates == 1
    assert mine_templates(db, Config().with_overrides({"templates.min_requests": 19, "templates.min_accounts": 4})).templates == 0


def test_bad_template_config_is_a_config_error(db):
    with pytest.raises(ConfigError, match="templates.min_match"):
        mine_templates(db, Config().with_overrides({"templates.min_match": 1.5}))


def test_read_only_database_cannot_be_mined(tmp_path):
    Database(tmp_path / "ro.duckdb").close()
    with Database(tmp_path / "ro.duckdb", read_only=True) as ro:
        with pytest.raises(DatabaseError, match="read-only"):
            mine_templates(ro, Config())


def test_empty_database_mines_nothing(db):
    result = mine_templates(db, Config())
    assert (result.prompts, result.templates, result.templated_requests) == (0, 0, 0)


def test_listing_and_detail_count_the_clusters_of_the_newest_run(db):
    rng = random.Random(12)
    load(db, [(f"m{i}", f"acct{i % 5}", math_prompt(rng)) for i in range(40)])
    listing = template_listing(db, Config())
    (row,) = listing.templates
    assert listing.run_id is None and row["n_clusters"] is None
    tid = row["template_id"]
    # A run that put acct0, acct1 in one cluster and acct2 in another.
    db.execute(
        "INSERT INTO runs (run_id, started_at, status, config, input_hashes, versions) "
        "VALUES (1, $t, 'complete', '{}', '{}', '{}')",
        {"t": T0},
    )
    for cluster, account in (("C-acct0", "acct0"), ("C-acct0", "acct1"), ("C-acct2", "acct2")):
        db.execute(
            "INSERT INTO run_members (run_id, cluster_id, account_id, n_links, strength) VALUES (1, $c, $a, 1, 1.0)",
            {"c": cluster, "a": account},
        )
    listing = template_listing(db, Config())
    assert listing.run_id == 1 and listing.templates[0]["n_clusters"] == 2
    detail = template_detail(db, Config(), tid, examples=3, chars=40)
    # acct i sends requests m{i}, m{i+5}, ...: 8 each.
    assert detail.clusters == [
        {"cluster_id": "C-acct0", "n_accounts": 2, "n_requests": 16},
        {"cluster_id": "C-acct2", "n_accounts": 1, "n_requests": 8},
    ]
    assert len(detail.examples) == 3
    assert len({e["account_id"] for e in detail.examples}) == 3  # one per account first
    assert all(len(e["prompt"]) <= 41 and e["prompt"].endswith("…") for e in detail.examples)
    assert [a["n_requests"] for a in detail.accounts] == [8] * 5
    with pytest.raises(NotFoundError):
        template_detail(db, Config(), "T-0000000000")
    with pytest.raises(NotFoundError):
        template_listing(db, Config(), run_id=9)


def test_assignment_score_is_b_cubed_over_templated_and_assigned_requests(db):
    # Truth A: a1..a4, truth B: b1, b2, organic o1, o2.  Mined T1 holds
    # a1..a3 and b1, b2 (A and B merged), T2 holds o1; a4 and o2 have none.
    rows = [(r, "x", "text") for r in ("a1", "a2", "a3", "a4", "b1", "b2", "o1", "o2")]
    load(db, rows, truth=["A", "A", "A", "A", "B", "B", None, None])
    for rid, tid in (("a1", "T1"), ("a2", "T1"), ("a3", "T1"), ("b1", "T1"), ("b2", "T1"), ("o1", "T2")):
        db.execute("INSERT INTO request_templates VALUES ($r, $t)", {"r": rid, "t": tid})
    s = score_assignment(db)
    # precision: a1..a3 3/5 each, b1, b2 2/5 each, o1 1/1 -> 3.6 / 6
    assert s.precision == pytest.approx(0.6)
    # recall: a1..a3 3/4 each, a4 1/4, b1, b2 2/2 each -> 4.5 / 6
    assert s.recall == pytest.approx(0.75)
    assert s.f1 == pytest.approx(2 * 0.6 * 0.75 / 1.35)
    assert (s.coverage, s.false_templated) == (pytest.approx(5 / 6), 0.5)
    assert (s.truth_templates, s.mined_templates, s.templated_requests, s.organic_requests) == (2, 2, 6, 2)
    assert s.per_truth == {"A": {"T1": 3, None: 1}, "B": {"T1": 2}}


def test_mining_the_corpus_recovers_its_templates(db):
    insert_requests(db, scaffold_corpus(6000, seed=3))
    mine_templates(db, Config())
    s = score_assignment(db)
    assert s.truth_templates == len(CAMPAIGNS) + len(PUBLIC_SCAFFOLDS)
    assert s.mined_templates == s.truth_templates
    assert s.precision > 0.99 and s.recall > 0.95 and s.false_templated == 0



def test_numbers_that_change_in_every_prompt_are_masked(db):
    rng = random.Random(14)
    rows = []
    for i in range(40):
        numbered = f"This is question {1000 + i} of batch {i % 7 + 1}, answer it with the utmost care."
        rows.append((f"q{i}", f"acct{i % 5}", f"{numbered}\n{MATH[1]}\n{paragraph(rng)}\n{MATH[2]}"))
    load(db, rows)
    mine_templates(db, Config())
    (t,) = templates_of(db).values()
    assert t["skeleton"] == "\n".join(
        ["This is question «n» of batch «n», answer it with the utmost care.", MATH[1], SLOT, MATH[2]]
    )
    # Without masking every numbered line is new text: it becomes part of the slot.
    mine_templates(db, Config().with_overrides({"templates.mask_numbers": False}))
    (t,) = templates_of(db).values()
    assert t["skeleton"] == "\n".join([SLOT, MATH[1], SLOT, MATH[2]])
    assert t["n_requests"] == 40


def numbered_math_prompt(rng: random.Random, i: int) -> str:
    """The math scaffold opened by a line whose numbers change in every prompt."""
    numbered = f"This is question {1000 + i} of batch {i % 7 + 1}, answer it with the utmost care."
    return f"{numbered}\n{MATH[1]}\n{paragraph(rng)}\n{MATH[2]}"


def test_a_sample_finds_the_templates_and_every_prompt_is_assigned(db):
    rng = random.Random(15)
    rows = [(f"q{i}", f"acct{i % 6}", numbered_math_prompt(rng, i)) for i in range(300)]
    rows += [(f"p{i}", f"stranger{i}", f"{PUBLIC}\n{paragraph(rng)}") for i in range(100)]
    rows += [(f"o{i}", f"user{rng.randrange(80)}", organic_prompt(rng)) for i in range(200)]
    rng.shuffle(rows)  # stored in arrival order, templates mixed
    load(db, rows)
    for i in range(20):  # upstream-templated prompts are never mined, but flagged all the same
        db.execute(
            "INSERT INTO requests (request_id, account_id, ts, ip, ip_version, ip_num, ip_prefix, prompt, prompt_template_id) "
            "VALUES ($id, 'up', $ts, '198.51.100.7', 4, 3325256711, '198.51.100.0/24', 'Grade it with the rubric.', 'up-1')",
            {"id": f"u{i}", "ts": T0},
        )
    everything = mine_templates(db, Config())
    assert everything.sampled_prompts == everything.prompts == 600
    expected = (assignment(db), templates_of(db), flags_of(db))
    assert len(expected[1]) == 3 and len(expected[0]) == 420
    # Every math prompt says "step by step", every upstream one "rubric".
    assert expected[2] == {**{f"q{i}": (True, False) for i in range(300)}, **{f"u{i}": (False, True) for i in range(20)}}
    # A sample of about half, in blocks of 8 stored rows, discovers the same two templates
    # (a template needs min_requests in the sample); the prompts outside it are read once,
    # to assign and flag them, numbers masked too.
    sampled = mine_templates(db, Config().with_overrides({"templates.sample_prompts": 300, "templates.sample_block": 8}))
    assert sampled.prompts == 600 and 200 <= sampled.sampled_prompts <= 400
    assert (assignment(db), templates_of(db), flags_of(db)) == expected


def test_an_upstream_id_equal_to_a_mined_template_counts_as_its_use(db):
    rng = random.Random(16)
    load(db, [(f"m{i}", f"acct{i % 5}", math_prompt(rng)) for i in range(40)])
    mine_templates(db, Config())
    (tid,) = templates_of(db)
    for i in range(3):
        db.execute(
            "INSERT INTO requests (request_id, account_id, ts, ip, ip_version, ip_num, ip_prefix, prompt, prompt_template_id) "
            "VALUES ($id, $acc, $ts, '198.51.100.7', 4, 3325256711, '198.51.100.0/24', NULL, $tpl)",
            {"id": f"u{i}", "acc": f"up{i}", "ts": T0 + dt.timedelta(days=1, hours=i), "tpl": tid},
        )
    result = mine_templates(db, Config())
    t = templates_of(db)[tid]
    # 40 mined requests from acct0..acct4 and 3 upstream ones from up0..up2, the last a day later.
    assert (t["source"], t["n_requests"], t["n_accounts"]) == ("mined", 43, 8)
    assert (t["first_seen"], t["last_seen"]) == (T0, T0 + dt.timedelta(days=1, hours=2))
    assert (result.templates, result.upstream_templates, result.templated_requests) == (1, 0, 43)
    # With the template gone (too few accounts), its upstream uses alone remain, as an upstream template.
    mine_templates(db, Config().with_overrides({"templates.min_accounts": 6}))
    t = templates_of(db)[tid]
    assert (t["source"], t["n_requests"], t["n_accounts"], t["skeleton"]) == ("upstream", 3, 3, None)
    assert set(assignment(db)) == {"u0", "u1", "u2"}


def test_a_prompt_with_both_kinds_of_phrase_gets_both_flags(db):
    load(db, [
        ("r1", "a", "Think step by step, then score the answer against the rubric."),
        ("r2", "a", "Return a JSON object."),
        ("r3", "a", "Walk through it."),
    ])
    mine_templates(db, Config())
    rows = db.execute("SELECT request_id, reasoning, grading FROM request_flags ORDER BY request_id").fetchall()
    assert rows == [("r1", True, True), ("r2", False, True), ("r3", True, False)]
    config = Config().with_overrides({"templates.reasoning_phrases": [], "templates.grading_phrases": []})
    assert flag_requests(db, config) == 0


def test_long_prompts_are_mined_on_their_ends(db):
    rng = random.Random(17)
    load(db, [(f"m{i}", f"acct{i % 5}", math_prompt(rng)) for i in range(40)])
    # Every prompt (two long lines, a paragraph, a line) is longer than 2 * 100
    # characters: only its first and last 100 are read, so the second line is
    # cut where the first 100 characters end.
    assert db.execute("SELECT min(length(prompt)) FROM requests").fetchone()[0] > 200
    mine_templates(db, Config().with_overrides({"templates.scan_chars": 100}))
    (t,) = templates_of(db).values()
    head = MATH[1][: 100 - len(MATH[0]) - 1]
    assert t["skeleton"] == "\n".join([MATH[0], head, SLOT, MATH[2]])
    assert t["n_requests"] == 40
