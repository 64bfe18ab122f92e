"""Each cluster feature computes what it says, on hand-built clusters whose answers are worked out here."""

from __future__ import annotations

import pytest

from graphlink.config import Config
from graphlink.db import Database
from graphlink.scoring import compute_features

from scoring_fixtures import Builder, at


@pytest.fixture
def world(tmp_path):
    db = Database(tmp_path / "features.duckdb")
    yield Builder(db)
    db.close()


def _features(world: Builder, clusters, config: Config | None = None, **run_kw):
    run_id = world.run(clusters, **run_kw)
    compute_features(world.db, config or Config(), run_id)
    return world.features(run_id)


def test_volume_and_evenness(world):
    # a, b, c, d make 1, 2, 3, 4 requests.  Gini of (1, 2, 3, 4): the mean
    # absolute difference over the 16 ordered pairs is 20 / 16 = 1.25, the
    # mean is 2.5, so G = 1.25 / (2 * 2.5) = 0.25; scaled by n / (n - 1) = 4/3
    # that is 1/3, so evenness = 2/3.
    for k, a in enumerate("abcd", start=1):
        world.account(a)
        world.requests(a, [at(0, h) for h in range(k)])
    # x, y make none, z makes 6: one member does everything -> evenness 0.
    world.accounts(["x", "y", "z"])
    world.requests("z", [at(0, h) for h in range(6)])
    f = _features(world, {"C-a": list("abcd"), "C-x": ["x", "y", "z"]})
    a = f["C-a"]
    assert (a["n_accounts"], a["n_active_accounts"], a["n_requests"]) == (4, 4, 10)
    assert a["requests_per_account"] == pytest.approx(2.5)
    assert a["request_evenness"] == pytest.approx(2 / 3)
    assert a["top_account_share"] == pytest.approx(0.4)
    x = f["C-x"]
    assert (x["n_accounts"], x["n_active_accounts"], x["n_requests"]) == (3, 1, 6)
    assert x["request_evenness"] == pytest.approx(0.0)
    assert x["top_account_share"] == pytest.approx(1.0)


def test_requests_outside_the_run_window_do_not_count(world):
    world.accounts(["a", "b"])
    world.request("a", at(-1))          # before the window
    world.request("a", at(0, 3))        # inside
    world.request("b", at(0, 23, 59))   # inside
    world.request("b", at(1))           # at `until`: outside (exclusive)
    f = _features(world, {"C-a": ["a", "b"]}, since=at(0), until=at(1))
    assert f["C-a"]["n_requests"] == 2


def test_prompt_features(world):
    world.template("t1", reasoning=True)
    world.template("t2", grading=True)
    world.template("t3")
    world.accounts(["a", "b"])
    tok = {"prompt_tokens": 100, "completion_tokens": 300}
    world.requests("a", [at(0, h) for h in range(6)], template_id="t1", model="m1", **tok)
    world.requests("b", [at(0, h) for h in range(2)], template_id="t2", model="m2", **tok)
    # a templated request whose own text asks for a grade (phrase match)
    world.request("b", at(0, 5), template_id="t3", prompt="Please RATE THE RESPONSE below", model="m2", **tok)
    # an untemplated request asking for reasoning in its own words
    world.request("a", at(0, 7), prompt="Think Step By Step: what is 2+2?", model="m1", **tok)
    # tokens unknown on one side: left out of the ratio
    world.request("a", at(0, 8), prompt="hello", prompt_tokens=1000)
    f = _features(world, {"C-a": ["a", "b"]}, Config().with_overrides({"scoring.top_templates": 2}))["C-a"]
    # 11 requests: 6 t1, 2 t2, 1 t3, 2 untemplated
    assert f["n_requests"] == 11
    assert f["requests_per_active_day"] == pytest.approx(11 / 2)   # a and b, one day each
    assert f["templated_share"] == pytest.approx(9 / 11)
    assert (f["n_templates"], f["n_top_templates"]) == (3, 2)
    assert f["top_template_share"] == pytest.approx(8 / 11)   # t1 + t2
    assert f["reasoning_share"] == pytest.approx(7 / 11)      # 6 by template + 1 by phrase
    assert f["grading_share"] == pytest.approx(3 / 11)        # 2 by template + 1 by phrase
    assert f["token_ratio"] == pytest.approx(3.0)             # 3000 / 1000 over the 10 complete ones
    assert (f["top_model"], f["top_model_share"]) == ("m1", pytest.approx(7 / 11))
    # nobody outside the cluster uses t1..t3: all are its own, none public
    assert (f["n_own_templates"], f["own_template_share"]) == (3, pytest.approx(9 / 11))
    assert f["own_elicitation_share"] == pytest.approx(9 / 11)  # t1 (6), t2 (2), t3 asking for a grade (1)
    assert f["public_template_share"] == 0
    assert f["elicitation_share"] == pytest.approx(10 / 11)     # + the untemplated request asking for reasoning


def test_own_and_public_templates(world):
    world.account("x1", org_id="org-a")
    world.account("x2", org_id="org-a")
    world.account("y1", org_id="org-b")
    world.account("y2", org_id="org-b")
    world.accounts(["o1", "o2"])
    world.template("bench", reasoning=True)
    world.template("mine", reasoning=True)
    world.template("hub", grading=True, is_hub=True)
    world.template("shared", reasoning=True)
    for a in ("x1", "x2", "y1", "y2"):
        world.request(a, at(0, 1), template_id="bench")     # 4 users in 2 organisations
    world.requests("x1", [at(0, 2), at(0, 3)], template_id="mine")   # x1 alone
    world.request("y1", at(0, 4), template_id="hub")        # a hub: public however few use it here
    world.request("y2", at(0, 5), prompt="Think step by step")        # own words
    world.request("x2", at(0, 6), template_id="shared")     # x2 and two strangers: 1 of 3 users
    world.request("o1", at(0, 6), template_id="shared")
    world.request("o2", at(0, 6), template_id="shared")
    world.request("o2", at(0, 7), template_id="bench")      # a stranger outside the window
    members = {"C-x": ["x1", "x2", "y1", "y2"]}
    window = {"since": at(0), "until": at(0, 7)}
    # public_orgs = 2: the benchmark spans two organisations, so it is public
    f = _features(world, members, Config().with_overrides({"scoring.public_orgs": 2}), **window)["C-x"]
    assert f["n_requests"] == 9
    assert f["public_template_share"] == pytest.approx(5 / 9)     # bench 4 + hub 1
    assert (f["n_own_templates"], f["own_template_share"]) == (1, pytest.approx(2 / 9))   # mine
    assert f["own_elicitation_share"] == pytest.approx(2 / 9)
    # eliciting: bench 4, mine 2, hub 1, own words 1, shared 1 = 9; not in public templates: 4
    assert f["elicitation_share"] == pytest.approx(4 / 9)
    # default public_orgs = 5: two organisations do not make it public; members are all its users
    f = _features(world, members, Config(), **window)["C-x"]
    assert f["public_template_share"] == pytest.approx(1 / 9)     # hub
    assert (f["n_own_templates"], f["own_template_share"]) == (2, pytest.approx(6 / 9))   # bench, mine
    assert f["elicitation_share"] == pytest.approx(8 / 9)


def test_clock_flatness(world):
    world.accounts(["bot", "person", "night"])
    world.requests("bot", [at(0, h) for h in range(24)])                        # one request every hour
    world.requests("person", [at(0, h, m) for h in range(9, 17) for m in (0, 30)])  # 16 in office hours
    f = _features(world, {"C-b": ["bot", "person"]})["C-b"]
    # quietest 8 hours: 8 of the bot's 24 requests, none of the person's 16
    assert f["quiet_share"] == pytest.approx(8 / 40)
    assert f["clock_flatness"] == pytest.approx((8 / 40) / (8 / 24))


def test_clock_quiet_window_wraps_past_midnight(world):
    # active 04:00-19:59 only: the quiet hours 20:00-03:59 wrap past midnight
    world.accounts(["a", "b"])
    world.requests("a", [at(0, h) for h in range(4, 20)])
    world.requests("b", [at(1, h) for h in range(4, 20)])
    f = _features(world, {"C-a": ["a", "b"]})["C-a"]
    assert f["quiet_share"] == pytest.approx(0.0)
    assert f["clock_flatness"] == pytest.approx(0.0)


def test_lockstep_lift(world):
    world.accounts(["a", "b", "c"])
    # hour 10 of day 0: all three in the 10:00-10:05 bucket, a again at 10:30
    for a in "abc":
        world.request(a, at(0, 10, 1))
    world.request("a", at(0, 10, 31))
    # hour 5 of day 1: a and b in different buckets
    world.request("a", at(1, 5, 0))
    world.request("b", at(1, 5, 20))
    config = Config().with_overrides({"scoring.lockstep_prior": 0.0})
    f = _features(world, {"C-a": ["a", "b", "c"]}, config)["C-a"]
    # observed: 3 pairs in the 10:00 bucket.  expected, B = 60 / 5 = 12:
    # hour 10: active buckets a=2, b=1, c=1 -> (4^2 - 6) / 24 = 10/24;
    # hour 5: a=1, b=1 -> (2^2 - 2) / 24 = 2/24.  Total 0.5, lift 6.
    assert f["lockstep_observed"] == pytest.approx(3.0)
    assert f["lockstep_expected"] == pytest.approx(0.5)
    assert f["lockstep_lift"] == pytest.approx(6.0)


def test_lockstep_prior_shrinks_small_samples(world):
    world.accounts(["a", "b"])
    world.request("a", at(0, 10, 1))
    world.request("b", at(0, 10, 2))
    f = _features(world, {"C-a": ["a", "b"]})["C-a"]   # default prior 10
    # observed 1 pair, expected 1 * 1 / 12; lift (1 + 10) / (1/12 + 10)
    assert f["lockstep_lift"] == pytest.approx(11 / (1 / 12 + 10))


def test_signup_burst_and_age(world):
    base = at(-10)
    hours = {"a": 0, "b": 1, "c": 23, "d": 30, "e": 100}
    for a, h in hours.items():
        world.account(a, base.replace() + (at(0, h) - at(0)))
        world.request(a, at(0))
    world.request("u", at(0))   # in requests only: sign-up time unknown
    f = _features(world, {"C-a": ["a", "b", "c", "d", "e", "u"]})["C-a"]
    # within 24 h of a: a, b, c (d is 30 h later) -> 3 of 6 members
    assert (f["n_known_accounts"], f["burst_accounts"]) == (5, 3)
    assert f["burst_share"] == pytest.approx(0.5)
    # ages at the first request: 10 days minus 0, 1, 23, 30, 100 hours; median minus 23 h
    assert f["median_age_days"] == pytest.approx(10 - 23 / 24)


def test_payment_features(world):
    world.account("a", country="US")
    world.account("b", country="US")
    world.account("c", country="FR")
    world.account("d", country="US")
    world.account("e", country="US")
    world.account("z", country="US")  # outside the cluster
    world.payment("a", "fp1", card_bin="411111", billing_country="US")
    world.payment("b", "fp1", card_bin="411111", billing_country="de")   # shared with a; bills elsewhere
    world.payment("c", "fp2", method_type="virtual_card", card_bin="522222", billing_country="FR")
    world.payment("z", "fp2", card_bin="522222")                          # shared, but with an outsider
    world.payment("d", "fp3", method_type="Prepaid", card_bin="533333")
    config = Config().with_overrides({"scoring.top_bins": 1})
    f = _features(world, {"C-a": list("abcde")}, config)["C-a"]
    assert (f["n_paying_accounts"], f["n_instruments"]) == (4, 3)
    assert f["shared_payment_accounts"] == 2 and f["shared_payment_share"] == pytest.approx(2 / 5)
    assert f["prepaid_accounts"] == 2 and f["prepaid_share"] == pytest.approx(2 / 5)
    assert (f["n_carded_accounts"], f["n_card_bins"], f["n_top_bins"]) == (4, 3, 1)
    assert f["top_bin_accounts"] == 2 and f["top_bin_share"] == pytest.approx(2 / 5)
    assert f["mismatch_accounts"] == 1 and f["country_mismatch_share"] == pytest.approx(1 / 5)


def test_network_features(world):
    world.intel("172.16.0.0/14", "datacenter")
    world.intel("172.16.5.0/24", "residential")       # narrower range wins
    world.intel("198.18.0.0/16", "vpn")
    world.intel("10.128.0.0/12", "residential_proxy")
    world.intel("2001:db8::/32", "tor")
    world.accounts(["a", "b"])
    world.requests("a", [at(0, h) for h in range(4)], ip="172.16.0.9")   # datacenter
    world.requests("b", [at(0, h) for h in range(2)], ip="172.16.5.7")   # residential
    world.request("a", at(0, 5), ip="198.18.1.1")                        # vpn
    world.request("b", at(0, 5), ip="10.128.0.1")                        # residential proxy
    world.request("b", at(0, 6), ip="10.0.0.1")                          # unknown network
    world.request("b", at(0, 7), ip="2001:db8::5")                       # tor, IPv6
    f = _features(world, {"C-a": ["a", "b"]})["C-a"]
    assert (f["n_ips"], f["n_prefixes"]) == (6, 6)
    assert f["datacenter_share"] == pytest.approx(0.4)
    assert f["proxy_share"] == pytest.approx(0.1)
    assert f["vpn_share"] == pytest.approx(0.2)
    assert f["anonymised_share"] == pytest.approx(0.7)


def test_organisation_and_ban_evasion(world):
    world.account("a", org_id="acme")
    world.account("b", org_id="acme")
    world.account("c", org_id="acme")
    world.account("d", org_id="solo", status="Banned")   # an org no other member declares
    world.account("e")
    world.label("e", "distillation")
    world.account("x", status="suspended")          # outside the cluster
    world.payment("x", "fpX")
    world.request("x", at(-30), device="devX")      # long before the window: still counts
    world.payment("b", "fpX")                       # b shares x's card
    world.request("c", at(0, 1), device="devX")     # c shares x's device
    world.payment("d", "fpD")                       # d's own card: not a link
    world.request("a", at(0, 2), device="devA")
    f = _features(world, {"C-a": list("abcde")}, since=at(0), until=at(7))["C-a"]
    assert (f["top_org"], f["top_org_accounts"], f["n_orgs"], f["org_accounts"]) == ("acme", 3, 1, 3)
    assert f["org_share"] == pytest.approx(3 / 5)
    assert f["banned_accounts"] == 2       # d (status), e (label)
    assert f["evasion_accounts"] == 2      # b (card), c (device)
    assert f["ban_link_share"] == pytest.approx(4 / 5)


def test_organisations_are_counted_together(world):
    for a, org in (("a", "o1"), ("b", "o1"), ("c", "o2"), ("d", "o2"), ("e", "o2"), ("f", None)):
        world.account(a, org_id=org)
    f = _features(world, {"C-a": list("abcdef")})["C-a"]
    assert (f["top_org"], f["top_org_accounts"], f["n_orgs"], f["org_accounts"]) == ("o2", 3, 2, 5)
    assert f["org_share"] == pytest.approx(5 / 6)


def test_only_rare_identifiers_link_to_banned_accounts(world):
    # a device fingerprint used by more accounts than graph.kinds.device.hub_cap links no one
    config = Config().with_overrides({"graph.kinds.device.hub_cap": 3, "graph.kinds.payment.hub_cap": 2})
    world.account("bad", status="banned")
    world.request("bad", at(-3), device="common")
    world.request("bad", at(-3), device="rare")
    world.payment("bad", "card-shared-by-3")
    world.payment("bad", "card-rare")
    world.accounts(["a", "b", "c", "d"])
    world.request("a", at(0), device="common")
    world.request("b", at(0), device="common")
    world.request("c", at(0), device="common")   # common: 4 accounts > 3
    world.request("d", at(0), device="rare")     # rare: 2 accounts
    world.payment("a", "card-shared-by-3")       # 3 accounts > 2
    world.payment("b", "card-shared-by-3")
    world.payment("c", "card-rare")              # 2 accounts
    f = _features(world, {"C-a": list("abcd")}, config)["C-a"]
    assert (f["banned_accounts"], f["evasion_accounts"]) == (0, 2)   # c (card), d (device)


def test_labels_as_ban_evidence_can_be_turned_off(world):
    world.accounts(["a", "b"])
    world.label("a", "distillation")
    config = Config().with_overrides({"scoring.bad_labels": []})
    f = _features(world, {"C-a": ["a", "b"]}, config)["C-a"]
    assert f["banned_accounts"] == 0


def test_every_cluster_gets_a_row_even_without_requests(world):
    world.accounts(["a", "b", "c", "d"])
    world.request("a", at(0))
    f = _features(world, {"C-a": ["a", "b"], "C-c": ["c", "d"]})
    assert sorted(f) == ["C-a", "C-c"]
    assert f["C-c"]["n_requests"] == 0 and f["C-c"]["n_accounts"] == 2
    assert f["C-c"]["reasoning_share"] is None
