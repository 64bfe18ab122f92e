"""The population of a synthetic world: who the accounts are and how they behave.

:func:`build_world` decides, for every account, its group (a benign look-alike
or a distillation campaign), sign-up time, e-mail domain, payment instruments,
network, client devices, request rate, activity profile and prompt habits.
Everything is held in numpy arrays of one row per account, built group kind
by group kind with vectorised draws; :mod:`graphlink.synth.traffic` turns
them into requests day by day.

Group kinds
-----------
Benign (label ``benign``): ``individual`` (home IPv4 that changes),
``ipv6`` (a new address per request inside one /64), ``cgnat`` (mobile
carrier NAT shared by hundreds), ``vpn`` (commercial VPN exits),
``public_template`` (heavy users of popular public templates), ``family``
(one card, one home), ``personal_work`` (one person, two accounts),
``enterprise`` (one invoice, egress IPs and internal template),
``campus`` (a few NAT IPs), ``researcher`` (public "step by step" benchmarks
from cloud IPs at high volume), ``app_relay`` (an app relaying its users'
messages through one template).

Distillation campaigns (label ``distillation``), see :data:`STYLES`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from ..errors import ConfigError
from . import spec
from .fmt import concat, hex_ids, mix64, padded_ids, take
from .text import N_TOPICS, TOPIC_NAMES, Scaffolds

__all__ = ["World", "build_world", "block_start", "account_id_text", "BENIGN_KINDS", "STYLES", "KINDS", "MIN_ACCOUNTS"]

BENIGN_KINDS = (
    "individual", "ipv6", "cgnat", "vpn", "public_template", "family", "personal_work",
    "enterprise", "campus", "researcher", "app_relay",
)
STYLES = ("loadbal", "shift", "stealth", "reseller", "sweep")
"""Distillation campaign styles:

- ``loadbal``: large load-balanced clusters, sign-up bursts, virtual / prepaid
  cards from a few BINs, residential proxies, one home-built client.
- ``shift``: varied tiers on distinct cards, a new cloud IP per account per day,
  teams working synchronised shifts.
- ``stealth``: small; every account has its own card, IP and device; linked only
  by a look-alike e-mail domain, paraphrased scaffolds and lockstep timing.
- ``reseller``: a few accounts relaying distillation traffic mixed with real
  customers' prompts.
- ``sweep``: short-lived accounts sweeping elicitation techniques, banned and
  replaced by a new generation.
"""
KINDS = BENIGN_KINDS + STYLES
_K = {name: i for i, name in enumerate(KINDS)}

BENIGN_SHARE = {
    "individual": 0.34, "ipv6": 0.10, "cgnat": 0.09, "vpn": 0.04, "public_template": 0.08,
    "family": 0.07, "personal_work": 0.04, "enterprise": 0.13, "campus": 0.09,
    "researcher": 0.004, "app_relay": 0.0015,
}
CAMPAIGN_SHARE = 0.03
STYLE_SHARE = {"loadbal": 0.40, "shift": 0.20, "stealth": 0.10, "reseller": 0.05, "sweep": 0.25}
# (smallest, largest) group size per kind; sweep sizes are per generation.
GROUP_SIZE = {
    "family": (2, 5), "personal_work": (2, 2), "enterprise": (10, 400), "campus": (20, 600),
    "researcher": (2, 8), "app_relay": (1, 3),
    "loadbal": (12, 300), "shift": (6, 60), "stealth": (4, 12), "reseller": (2, 5), "sweep": (3, 15),
}
GROUP_PREFIX = {
    "family": "fam", "personal_work": "pw", "enterprise": "ent", "campus": "campus",
    "researcher": "lab", "app_relay": "app",
}
SWEEP_LIFE_DAYS = (3, 6)
MIN_ACCOUNTS = 200

TIERS = ("free", "pro", "api", "enterprise")
METHOD_TYPES = ("card", "virtual_card", "prepaid", "wallet", "invoice")

# network modes (how a request's address is chosen)
HOME4, HOME6, CARRIER, POOL, ROTATE, FIXED = range(6)
# activity profiles (when in the day requests happen)
DIURNAL, BUSINESS, FLAT, SHIFT, LOCKSTEP = range(5)

DAY = 86_400
# fixed-address pools: (addresses per pool, bits of the block they are scattered over)
_SLOTS = {"corp": (16, 16), "campus": (256, 22), "cloud": (8, 18)}
_NO_DAY = 1 << 30

_DIURNAL_HOURS = np.array([2, 1, .6, .4, .4, .7, 1.5, 3, 5, 7, 8, 8.5, 8, 8, 8, 8, 8, 8.5, 9, 10, 10, 9, 7, 4])
_BUSINESS_HOURS = np.array([.1, .1, .1, .1, .1, .2, .5, 2, 6, 9, 10, 9, 7, 9, 10, 9, 8, 5, 2, 1, .6, .4, .3, .2])
HOUR_CDF = np.stack([np.cumsum(h) / h.sum() for h in (_DIURNAL_HOURS, _BUSINESS_HOURS)])
"""Cumulative local-hour distributions of the DIURNAL and BUSINESS profiles."""

_CLIENT_NAMES = [c[0] for c in spec.CLIENTS]
_CLIENT_KIND = np.array([c[1] for c in spec.CLIENTS])
_CLIENT_WEIGHT = np.array([c[3] for c in spec.CLIENTS], dtype=float)


def _client(name: str) -> int:
    return _CLIENT_NAMES.index(name)


# -- the account columns -------------------------------------------------------
# kind, group, campaign: group kind index (KINDS), group id and campaign group id (-1: none)
# created, banned: sign-up and ban time (epoch s; banned -1: not banned); suspended: status
# country, tier, domain, org: indices into COUNTRIES, TIERS, the world's domains and orgs
# net_a, net_b: network mode of client a / b; household: key of the home line (HOME4/HOME6/
#   FIXED); period, phase: days between home address changes and their offset; carrier:
#   mobile carrier (0-2) or VPN operator (3-4); pool_base, pool_n: fixed addresses (POOL)
# fam_a, key_a, fam_b, key_b, p_b: client family (CLIENTS), own-device key (-1: the
#   family's common fingerprint), and the share of requests sent from client b (-1: none)
# n_keys: API keys in use; rate, weekend: requests per day and weekend multiplier;
#   steady: even load (no Poisson noise); profile, shift, shift_len: when in the day
# active_from, active_to: first day and day after the last day with requests
# prim_base, prim_n, p_prim: the account's own scaffold ids and share; pub, p_pub: its
#   favourite public template and share; the rest is organic text of topic `topic`
# comp: log-offset of completion length; model: index into MODELS

_COLUMNS: dict[str, tuple[type, object]] = {
    "kind": (np.int8, 0), "group": (np.int64, -1), "campaign": (np.int64, -1),
    "created": (np.int64, 0), "banned": (np.int64, -1), "suspended": (np.bool_, False),
    "country": (np.int16, 0), "tier": (np.int8, 0), "domain": (np.int64, 0), "org": (np.int64, -1),
    "net_a": (np.int8, HOME4), "net_b": (np.int8, HOME4), "household": (np.int64, 0),
    "period": (np.int16, 7), "phase": (np.int16, 0), "carrier": (np.int16, 0),
    "pool_base": (np.int64, 0), "pool_n": (np.int64, 1),
    "fam_a": (np.int16, 0), "key_a": (np.int64, -1), "fam_b": (np.int16, -1), "key_b": (np.int64, -1),
    "p_b": (np.float64, 0.0), "n_keys": (np.int8, 1),
    "rate": (np.float64, 0.0), "weekend": (np.float64, 1.0), "steady": (np.bool_, False),
    "profile": (np.int8, DIURNAL), "shift": (np.int16, 0), "shift_len": (np.int16, 8),
    "active_from": (np.int64, -_NO_DAY), "active_to": (np.int64, _NO_DAY),
    "prim_base": (np.int64, 0), "prim_n": (np.int64, 1), "p_prim": (np.float64, 0.0),
    "pub": (np.int64, 0), "p_pub": (np.float64, 0.0), "topic": (np.int16, 0),
    "comp": (np.float64, 0.0), "model": (np.int8, 0),
}


@dataclass
class World:
    """A generated population: account columns plus the tables that do not depend on traffic.

    Attributes
    ----------
    n : number of accounts.
    cols : one numpy array per account column (see ``_COLUMNS``).
    t0 : epoch seconds of the first day (midnight UTC); ``days`` days follow.
    scaffolds : prompt scaffolds by id.
    accounts, payment_methods, ip_intel, labels : pyarrow tables in contract format.
    campaigns : one dict per campaign: ``campaign_id``, ``style``, ``accounts``.
    carrier_base, carrier_n : first address and pool size of each carrier / VPN operator.
    lockstep : accounts of lockstep campaigns, grouped by campaign, and group offsets.
    salt : per-seed salt of the identifier hashes.
    text : per-account strings requests take from: ``account`` ids, ``device``
        fingerprints (client a, then client b: index ``acc + n * used_b``) and
        ``api_key`` ids (key slot k of account a at ``k * n + a``).
    """

    seed: int
    n: int
    days: int
    t0: int
    cols: dict[str, np.ndarray]
    scaffolds: Scaffolds
    account_ids: np.ndarray
    id_width: int
    accounts: pa.Table
    payment_methods: pa.Table
    ip_intel: pa.Table
    labels: pa.Table
    campaigns: list[dict]
    carrier_base: np.ndarray
    carrier_n: np.ndarray
    lockstep_members: np.ndarray
    lockstep_offsets: np.ndarray
    salt: int
    organic: tuple[int, int] = (0, 0)
    text: dict[str, pa.Array] = field(default_factory=dict)


# -- building ------------------------------------------------------------------


@dataclass
class _Builder:
    """Accumulates account blocks, groups, names, scaffolds and payment instruments."""

    rng: np.random.Generator
    days: int
    t0: int
    blocks: list[dict[str, np.ndarray]] = field(default_factory=list)
    n: int = 0
    n_groups: int = 0
    n_households: int = 0
    scaffolds: Scaffolds = field(default_factory=Scaffolds)
    domains: list[str] = field(default_factory=list)
    n_orgs: int = 0
    group_ids: dict[int, str] = field(default_factory=dict)
    campaigns: list[dict] = field(default_factory=list)
    pay_acc: list[np.ndarray] = field(default_factory=list)
    pay_inst: list[np.ndarray] = field(default_factory=list)
    inst_type: list[np.ndarray] = field(default_factory=list)
    inst_bin: list[np.ndarray] = field(default_factory=list)
    n_inst: int = 0
    bins: list[str] = field(default_factory=list)
    n_bank_bins: int = 0
    virtual_bins: tuple[int, int] = (0, 0)
    prepaid_bins: tuple[int, int] = (0, 0)
    corp_slots: int = 0
    campus_slots: int = 0
    cloud_slots: int = 0

    # identifiers and tables -------------------------------------------------

    def block(self, n: int, kind: str, **cols: object) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Reserve *n* accounts of *kind*; returns their indices and their column dict."""
        idx = np.arange(self.n, self.n + n)
        self.n += n
        data = {name: np.full(n, default, dtype=dtype) for name, (dtype, default) in _COLUMNS.items()}
        data["kind"][:] = _K[kind]
        data["household"][:] = self.households(n)
        for name, value in cols.items():
            data[name][:] = value
        self.blocks.append(data)
        return idx, data

    def households(self, n: int) -> np.ndarray:
        out = np.arange(self.n_households, self.n_households + n)
        self.n_households += n
        return out

    def groups(self, sizes: np.ndarray, kind: str, names: list[str] | None = None) -> np.ndarray:
        """Allocate one group id per size; returns the group id of each member."""
        ids = np.arange(self.n_groups, self.n_groups + len(sizes))
        self.n_groups += len(sizes)
        width = max(2, len(str(len(sizes))))
        for i, gid in enumerate(ids):
            self.group_ids[int(gid)] = names[i] if names else f"{GROUP_PREFIX[kind]}-{i + 1:0{width}d}"
        return np.repeat(ids, sizes)

    def domain(self, name: str) -> int:
        self.domains.append(name)
        return len(self.domains) - 1

    def org(self) -> int:
        """A new organisation; its id text is made from the index at the end."""
        self.n_orgs += 1
        return self.n_orgs - 1

    def instruments(self, n: int, mtype: int | np.ndarray, bins: np.ndarray | int) -> np.ndarray:
        ids = np.arange(self.n_inst, self.n_inst + n)
        self.n_inst += n
        self.inst_type.append(np.broadcast_to(np.asarray(mtype, dtype=np.int64), (n,)).copy())
        self.inst_bin.append(np.broadcast_to(np.asarray(bins, dtype=np.int64), (n,)).copy())
        return ids

    def pay(self, acc: np.ndarray, inst: np.ndarray) -> None:
        self.pay_acc.append(np.asarray(acc, dtype=np.int64))
        self.pay_inst.append(np.asarray(inst, dtype=np.int64))

    def slots(self, what: str, k: int) -> np.ndarray:
        """Address offsets of *k* new fixed-address pools in the *what* block.

        Pools are scattered over the block (an odd multiplier permutes the
        slot numbers), so unrelated groups do not sit in neighbouring
        addresses; each offset skips the slot's first address.
        """
        size, bits = _SLOTS[what]
        start = getattr(self, f"{what}_slots")
        setattr(self, f"{what}_slots", start + k)
        n_slots = (1 << bits) // size
        slot = (np.arange(start, start + k, dtype=np.int64) * 0x9E3779B1) % n_slots
        return slot * size + 1

    # random helpers ---------------------------------------------------------

    def created_before(self, n: int, newest_days: float = 1.0, oldest_days: float = 720.0,
                       late_share: float = 0.0) -> np.ndarray:
        """Sign-up times: before the first day, a *late_share* of them during the period."""
        back = self.rng.uniform(newest_days, oldest_days, n) * DAY
        out = self.t0 - back.astype(np.int64)
        late = self.rng.random(n) < late_share
        out[late] = self.t0 + (self.rng.uniform(0, max(self.days - 1, 0.5), late.sum()) * DAY).astype(np.int64)
        return out

    def countries(self, n: int) -> np.ndarray:
        w = np.array([c[2] for c in spec.COUNTRIES], dtype=float)
        return self.rng.choice(len(w), n, p=w / w.sum())

    def public_domains(self, n: int) -> np.ndarray:
        w = np.array([d[1] for d in spec.PUBLIC_DOMAINS], dtype=float)
        return self.rng.choice(len(w), n, p=w / w.sum())

    def clients(self, n: int, kinds: tuple[str, ...]) -> np.ndarray:
        ok = np.isin(_CLIENT_KIND, kinds)
        w = np.where(ok, _CLIENT_WEIGHT, 0.0)
        return self.rng.choice(len(w), n, p=w / w.sum())

    def bank_bins(self, n: int) -> np.ndarray:
        zipf = 1.0 / np.arange(1, self.n_bank_bins + 1)
        return self.rng.choice(self.n_bank_bins, n, p=zipf / zipf.sum())

    def rates(self, n: int, median: float, sigma: float = 1.0, cap: float = 50.0) -> np.ndarray:
        return np.minimum(self.rng.lognormal(np.log(median), sigma, n), cap)


def _partition(total: int, lo: int, hi: int, rng: np.random.Generator, skew: float = 2.0) -> np.ndarray:
    """Split *total* accounts into groups of *lo*..*hi* members (small groups more likely)."""
    if total < lo:
        return np.zeros(0, dtype=np.int64)
    est = max(1, int(total / lo) + 2)
    sizes = lo + np.floor(rng.random(est) ** skew * (hi - lo + 1)).astype(np.int64)
    cum = np.cumsum(sizes)
    k = int(np.searchsorted(cum, total))
    sizes = sizes[: k + 1].copy()
    sizes[-1] -= int(cum[k] - total) if k < len(cum) else 0
    if len(sizes) > 1 and sizes[-1] < lo:
        sizes[-2] += sizes[-1]
        sizes = sizes[:-1]
    return sizes


def _counts(n: int, days: int, rng: np.random.Generator) -> tuple[dict[str, int], dict[str, np.ndarray], np.ndarray]:
    """Accounts per benign kind, group sizes per grouped kind, and the sweep plan.

    Sweep sizes are per generation; the plan has one row per sweep campaign:
    (account lifetime in days, sign-up day of the first generation, generations).
    """
    sizes: dict[str, np.ndarray] = {}
    budget = max(int(round(CAMPAIGN_SHARE * n)), 0)
    mean_gens = int(np.ceil((days + 1) / np.mean(SWEEP_LIFE_DAYS)))
    for style, share in STYLE_SHARE.items():
        lo, hi = GROUP_SIZE[style]
        hi = int(min(hi, max(lo, n * 0.002 + lo)))  # campaigns grow with the world
        total = max(int(share * budget) // (mean_gens if style == "sweep" else 1), lo)
        sizes[style] = _partition(total, lo, hi, rng, skew=1.5)
    k = len(sizes["sweep"])
    life = rng.integers(SWEEP_LIFE_DAYS[0], SWEEP_LIFE_DAYS[1] + 1, k)
    first = rng.integers(-2, 1, k)
    plan = np.stack([life, first, -(-(days - first) // life)], axis=1)
    used = sum(int(sizes[s].sum()) for s in STYLES if s != "sweep") + int((sizes["sweep"] * plan[:, 2]).sum())
    rest = n - used
    if rest < 60:
        raise ConfigError(f"a synthetic world needs at least {MIN_ACCOUNTS} accounts, got {n}")
    counts: dict[str, int] = {}
    for kind, share in BENIGN_SHARE.items():
        if kind == "personal_work":
            sizes[kind] = np.full(max(int(share * rest) // 2, 1), 2, dtype=np.int64)
            counts[kind] = int(sizes[kind].sum())
        elif kind in GROUP_SIZE:
            lo, hi = GROUP_SIZE[kind]
            hi = int(min(hi, max(lo, n * 0.02)))
            sizes[kind] = _partition(max(int(share * rest), lo), lo, hi, rng)
            counts[kind] = int(sizes[kind].sum())
        elif kind != "individual":
            counts[kind] = int(share * rest)
    counts["individual"] = rest - sum(counts.values())
    return counts, sizes, plan


def build_world(n: int, days: int, seed: int, start: dt.date) -> World:
    """Build the population of a world of *n* accounts over *days* days from *start*.

    The same arguments always give the same world.
    """
    rng = np.random.default_rng([seed, 1])
    t0 = int(dt.datetime(start.year, start.month, start.day, tzinfo=dt.timezone.utc).timestamp())
    b = _Builder(rng=rng, days=days, t0=t0)
    b.domains = [d[0] for d in spec.PUBLIC_DOMAINS]
    _make_bins(b)
    organic, public, bench = _shared_scaffolds(b)
    counts, sizes, plan = _counts(n, days, rng)

    _individuals(b, counts["individual"], "individual", HOME4, public)
    _individuals(b, counts["ipv6"], "ipv6", HOME6, public)
    _individuals(b, counts["cgnat"], "cgnat", CARRIER, public)
    _individuals(b, counts["vpn"], "vpn", CARRIER, public)
    _individuals(b, counts["public_template"], "public_template", HOME4, public)
    _families(b, sizes["family"], public)
    _personal_work(b, sizes["personal_work"], public)
    _enterprises(b, sizes["enterprise"], public)
    _campuses(b, sizes["campus"], public)
    _researchers(b, sizes["researcher"], bench)
    _app_relays(b, sizes["app_relay"])
    n_campaigns = sum(len(sizes[s]) for s in STYLES)
    width = max(2, len(str(n_campaigns)))
    counter = iter(range(1, n_campaigns + 1))

    def ids(style: str) -> list[str]:
        return [f"camp-{style}-{next(counter):0{width}d}" for _ in sizes[style]]

    _loadbal(b, sizes["loadbal"], ids("loadbal"))
    _shift(b, sizes["shift"], ids("shift"))
    lock_groups = _stealth(b, sizes["stealth"], ids("stealth"))
    _reseller(b, sizes["reseller"], ids("reseller"), public)
    _sweep(b, sizes["sweep"], ids("sweep"), plan)

    # one column at a time, freeing each block's copy as it goes
    cols = {name: np.concatenate([blk.pop(name) for blk in b.blocks]) for name in _COLUMNS}
    # nobody sends a request before the day after signing up
    cols["active_from"] = np.maximum(cols["active_from"], (cols["created"] - t0) // DAY + 1)
    carrier_base, carrier_n = _carrier_pools(cols)
    members = np.concatenate(lock_groups) if lock_groups else np.zeros(0, dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum([len(g) for g in lock_groups])]).astype(np.int64)
    salt = int(mix64(np.array([seed]), 0x5EED)[0])
    perm = rng.permutation(b.n)
    width = max(6, len(str(b.n - 1)))
    world = World(
        seed=seed, n=b.n, days=days, t0=t0, cols=cols, scaffolds=b.scaffolds,
        account_ids=perm, id_width=width,
        accounts=pa.table({}), payment_methods=pa.table({}), ip_intel=pa.table({}), labels=pa.table({}),
        campaigns=b.campaigns, carrier_base=carrier_base, carrier_n=carrier_n,
        lockstep_members=members, lockstep_offsets=offsets, salt=salt, organic=organic,
    )
    world.text = _account_text(world)
    world.accounts = _accounts_table(world, b)
    world.payment_methods = _payments_table(world, b)
    world.ip_intel = _ip_intel_table()
    world.labels = _labels_table(world, b)
    return world


# -- shared ingredients ---------------------------------------------------------


def _make_bins(b: _Builder) -> None:
    """Bank BINs (6 digits, Zipf-popular) and a few virtual / prepaid issuer BINs (8 digits)."""
    rng = b.rng
    bank = rng.choice(np.arange(400_000, 560_000), 400, replace=False)
    virt = rng.choice(np.arange(40_000_000, 56_000_000), 24, replace=False)
    b.bins = [str(x) for x in bank] + [str(x) for x in virt]
    b.n_bank_bins = 400
    b.virtual_bins = (400, 412)
    b.prepaid_bins = (412, 424)


def _shared_scaffolds(b: _Builder) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    """Organic openers, public templates and public benchmarks: (first id, count) of each."""
    s = b.scaffolds
    first = len(s)
    for opener in spec.OPENERS:
        s.add((opener + " ", "", ""), "organic", slot1=(2, 80), skew=2.2, completion=350)
    organic = (first, len(spec.OPENERS))
    first = len(s)
    for i, t in enumerate(spec.PUBLIC_TEMPLATES):
        s.add_frame(t, b.rng, "public", slot1=(15, 150), completion=320, name=f"public/template-{i + 1:02d}")
    public = (first, len(spec.PUBLIC_TEMPLATES))
    first = len(s)
    for i, t in enumerate(spec.BENCHMARK_TEMPLATES):
        s.add_frame(t, b.rng, "benchmark", slot1=(20, 120), slot2=(30, 120), completion=1400,
                    name=f"public/benchmark-{i + 1:02d}")
    return organic, public, (first, len(spec.BENCHMARK_TEMPLATES))


_NAME_TRIES = 8


def _name(rng: np.random.Generator, used: set[str]) -> str:
    """An invented company name, unique within the world.

    Word + suffix, else with a number 2..98; after a few collisions (a world
    of millions of accounts runs out of those) the number of names made so
    far, which no earlier name has.
    """
    for _ in range(_NAME_TRIES):
        name = f"{spec.NAME_WORDS[rng.integers(len(spec.NAME_WORDS))]} {spec.NAME_SUFFIXES[rng.integers(len(spec.NAME_SUFFIXES))]}"
        if name not in used:
            used.add(name)
            return name
        name = f"{name} {rng.integers(2, 99)}"
        if name not in used:
            used.add(name)
            return name
    name = f"{name} {len(used) + 100}"  # len(used) only grows: no earlier fallback has it
    used.add(name)
    return name


def _place(i: int) -> str:
    """The *i*-th invented place name, lower-case: ashford, brookvale, ..., ashford2, ..."""
    name = spec.PLACES[i % len(spec.PLACES)].lower()
    return name if i < len(spec.PLACES) else f"{name}{i // len(spec.PLACES) + 1}"


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def _people(b: _Builder, d: dict[str, np.ndarray], public: tuple[int, int], *,
            sdk_share: float = 0.35, phone_share: float = 0.45, own_device: float = 0.4,
            rate: float = 0.08, pub_share: float = 0.06) -> None:
    """Fill an individual person's habits into block *d*: clients, rate, topics, templates."""
    rng, n = b.rng, len(d["kind"])
    sdk = rng.random(n) < sdk_share
    d["fam_a"][:] = np.where(sdk, b.clients(n, ("sdk",)), b.clients(n, ("browser",)))
    d["key_a"][:] = np.where(rng.random(n) < own_device, rng.integers(0, 1 << 62, n), -1)
    phone = rng.random(n) < phone_share
    d["fam_b"][:] = np.where(phone, b.clients(n, ("mobile",)), -1)
    d["key_b"][:] = np.where(phone & (rng.random(n) < 0.3), rng.integers(0, 1 << 62, n), -1)
    d["p_b"][:] = np.where(phone, rng.uniform(0.1, 0.6, n), 0.0)
    d["country"][:] = b.countries(n)
    d["tier"][:] = rng.choice(3, n, p=[0.5, 0.35, 0.15])
    d["domain"][:] = b.public_domains(n)
    d["n_keys"][:] = np.where(sdk, rng.integers(1, 3, n), 1)
    d["rate"][:] = b.rates(n, rate, 1.2, 20.0)
    d["weekend"][:] = rng.uniform(0.6, 1.2, n)
    d["period"][:] = rng.integers(3, 30, n)
    d["phase"][:] = rng.integers(0, 30, n)
    d["carrier"][:] = rng.integers(0, 3, n)
    d["topic"][:] = rng.integers(0, N_TOPICS, n)
    d["pub"][:] = public[0] + rng.integers(0, public[1], n)
    d["p_pub"][:] = pub_share
    d["model"][:] = rng.choice(len(spec.MODELS), n, p=[0.35, 0.1, 0.3, 0.2, 0.05])
    d["created"][:] = b.created_before(n, late_share=0.06)
    d["suspended"][:] = rng.random(n) < 0.01


def _cards(b: _Builder, acc: np.ndarray, share: float, types: tuple[float, ...] = (0.82, 0.0, 0.03, 0.15)) -> None:
    """Give a *share* of *acc* one card / wallet of their own from the bank BINs."""
    rng = b.rng
    payer = acc[rng.random(len(acc)) < share]
    mtype = rng.choice(4, len(payer), p=np.array(types) / sum(types))
    bins = np.where(mtype == 3, -1, b.bank_bins(len(payer)))
    b.pay(payer, b.instruments(len(payer), mtype, bins))


# -- benign groups -------------------------------------------------------------


def _individuals(b: _Builder, n: int, kind: str, net: int, public: tuple[int, int]) -> None:
    idx, d = b.block(n, kind, net_a=net)
    rng = b.rng
    _people(b, d, public, pub_share=0.7 if kind == "public_template" else 0.06)
    if kind == "cgnat":  # mobile-first people: the phone is the main client
        d["fam_a"][:] = b.clients(n, ("mobile",))
        d["fam_b"][:] = -1
        d["p_b"][:] = 0.0
    if kind == "vpn":
        d["carrier"][:] = rng.integers(3, 5, n)
    d["net_b"][:] = np.where(d["fam_b"] >= 0, np.where(rng.random(n) < 0.5, CARRIER, net), net)
    if kind == "vpn":
        d["net_b"][:] = CARRIER
    paid = d["tier"] > 0
    _cards(b, idx[paid], 1.0)
    _cards(b, idx[~paid], 0.15)
    virt = idx[rng.random(n) < 0.03]  # privacy-minded people on virtual cards
    b.pay(virt, b.instruments(len(virt), 1, rng.integers(*b.virtual_bins, len(virt))))


def _families(b: _Builder, sizes: np.ndarray, public: tuple[int, int]) -> None:
    n = int(sizes.sum())
    idx, d = b.block(n, "family")
    rng = b.rng
    _people(b, d, public)
    d["group"][:] = b.groups(sizes, "family")
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    head = np.repeat(first, sizes)  # the household's first member
    for name in ("household", "country", "period", "phase", "carrier"):
        d[name][:] = d[name][head]
    d["tier"][:] = np.maximum(d["tier"], 1)
    d["net_b"][:] = np.where(d["fam_b"] >= 0, CARRIER, HOME4)
    card = b.instruments(len(sizes), 0, b.bank_bins(len(sizes)))
    b.pay(idx, np.repeat(card, sizes))


def _personal_work(b: _Builder, sizes: np.ndarray, public: tuple[int, int]) -> None:
    pairs = len(sizes)
    idx, d = b.block(2 * pairs, "personal_work")
    rng = b.rng
    _people(b, d, public, own_device=1.0, sdk_share=0.5)
    d["group"][:] = b.groups(sizes, "personal_work")
    personal, work = idx[0::2], idx[1::2]
    p, w = personal - idx[0], work - idx[0]
    for name in ("household", "country", "period", "phase", "fam_a", "key_a", "fam_b", "key_b", "p_b", "carrier"):
        d[name][w] = d[name][p]
    used: set[str] = set()
    work_domains = [b.domain(_slug(_name(rng, used)).replace("-", "") + "-consulting.com") for _ in range(pairs)]
    d["domain"][w] = work_domains
    d["tier"][w] = 2
    d["profile"][w] = BUSINESS
    d["weekend"][w] = 0.2
    card = b.instruments(pairs, 0, b.bank_bins(pairs))
    b.pay(personal, card)
    same = rng.random(pairs) < 0.5
    b.pay(work, np.where(same, card, b.instruments(pairs, 0, b.bank_bins(pairs))))


def _enterprises(b: _Builder, sizes: np.ndarray, public: tuple[int, int]) -> None:
    n, k = int(sizes.sum()), len(sizes)
    idx, d = b.block(n, "enterprise", tier=3, profile=BUSINESS, net_a=POOL, net_b=HOME4)
    rng = b.rng
    _people(b, d, public, sdk_share=0.4, phone_share=0.0, own_device=0.1, rate=0.3, pub_share=0.05)
    d["tier"][:] = 3
    d["weekend"][:] = 0.12
    d["group"][:] = b.groups(sizes, "enterprise")
    used: set[str] = set()
    names = [_name(rng, used) for _ in range(k)]
    org = np.array([b.org() for _ in range(k)])
    dom = np.array([b.domain(_slug(nm) + ".com") for nm in names])
    frame = rng.integers(0, len(spec.ENTERPRISE_FRAMES), k)
    tpl = np.array([
        b.scaffolds.add_frame(spec.ENTERPRISE_FRAMES[f], rng, "enterprise", slot1=(15, 120),
                              slot2=(20, 100), completion=450, name=f"{g}/frame-{f + 1}", org=nm)
        for f, nm, g in zip(frame, names, _group_names(b, d))
    ])
    egress = 2 + np.minimum(sizes // 100, 4)
    base = b.slots("corp", k)
    member = np.repeat(np.arange(k), sizes)
    d["org"][:] = org[member]
    d["domain"][:] = dom[member]
    d["prim_base"][:] = tpl[member]
    d["p_prim"][:] = 0.55
    d["pool_base"][:] = block_start("corporate") + base[member]
    d["pool_n"][:] = egress[member]
    d["country"][:] = b.countries(k)[member]
    remote = rng.random(n) < 0.25  # some work from home on a second laptop
    d["fam_b"][:] = np.where(remote, b.clients(n, ("browser",)), -1)
    d["p_b"][:] = np.where(remote, 0.3, 0.0)
    d["created"][:] = b.created_before(n, 5, 500, 0.04)
    invoice = b.instruments(k, 4, -1)
    b.pay(idx, invoice[member])


def _campuses(b: _Builder, sizes: np.ndarray, public: tuple[int, int]) -> None:
    n, k = int(sizes.sum()), len(sizes)
    idx, d = b.block(n, "campus", net_a=POOL)
    rng = b.rng
    _people(b, d, public, sdk_share=0.2, rate=0.15, pub_share=0.1)
    d["group"][:] = b.groups(sizes, "campus")
    d["tier"][:] = rng.choice(2, n, p=[0.7, 0.3])
    member = np.repeat(np.arange(k), sizes)
    places = rng.permutation(max(k, len(spec.PLACES) * 10))[:k]
    dom = np.array([b.domain(_place(p) + ".edu") for p in places])
    org = np.array([b.org() for _ in range(k)])
    d["domain"][:] = dom[member]
    d["org"][:] = np.where(rng.random(n) < 0.7, org[member], -1)
    d["pool_base"][:] = block_start("campus") + b.slots("campus", k)[member]
    d["pool_n"][:] = (2 + np.minimum(sizes // 150, 4))[member]
    d["net_b"][:] = np.where(d["fam_b"] >= 0, CARRIER, POOL)
    d["country"][:] = b.countries(k)[member]
    d["topic"][:] = rng.choice([TOPIC_NAMES.index(t) for t in ("math", "science", "writing", "coding", "history")], n)
    d["weekend"][:] = 0.7
    _cards(b, idx, 0.35)


def _researchers(b: _Builder, sizes: np.ndarray, bench: tuple[int, int]) -> None:
    n, k = int(sizes.sum()), len(sizes)
    idx, d = b.block(n, "researcher", net_a=POOL, net_b=POOL, profile=FLAT, tier=2)
    rng = b.rng
    d["group"][:] = b.groups(sizes, "researcher")
    member = np.repeat(np.arange(k), sizes)
    dom = np.array([b.domain(_place(i) + "-ai-lab.org") for i in range(k)])
    org = np.array([b.org() for _ in range(k)])
    d["domain"][:] = dom[member]
    d["org"][:] = org[member]
    d["country"][:] = b.countries(k)[member]
    d["created"][:] = b.created_before(n, 10, 400)
    d["fam_a"][:] = _client("sdk-python")
    d["n_keys"][:] = rng.integers(1, 4, n)
    d["rate"][:] = b.rates(n, 8.0, 0.6, 60.0)
    d["prim_base"][:], d["prim_n"][:], d["p_prim"][:] = bench[0], bench[1], 0.85
    d["topic"][:] = rng.choice([TOPIC_NAMES.index(t) for t in ("math", "science", "coding")], n)
    d["comp"][:] = rng.normal(0.0, 0.2, n)
    d["model"][:] = rng.choice([0, 1], n)
    _cloud_pool(b, d, member, k)
    lab_card = b.instruments(k, 0, b.bank_bins(k))
    shared = rng.random(k) < 0.6
    own = ~shared[member]
    b.pay(idx[~own], lab_card[member][~own])
    _cards(b, idx[own], 1.0, (1, 0, 0, 0))


def _app_relays(b: _Builder, sizes: np.ndarray) -> None:
    n, k = int(sizes.sum()), len(sizes)
    idx, d = b.block(n, "app_relay", net_a=POOL, net_b=POOL, tier=2, p_prim=0.97)
    rng = b.rng
    d["group"][:] = b.groups(sizes, "app_relay")
    member = np.repeat(np.arange(k), sizes)
    names = [f"{spec.APP_WORDS[rng.integers(16)]}{spec.APP_WORDS[rng.integers(16)]}{'' if i < 16 else i}" for i in range(k)]
    dom = np.array([b.domain(nm.lower() + ".app") for nm in names])
    org = np.array([b.org() for _ in range(k)])
    tpl = np.array([b.scaffolds.add_frame(spec.APP_FRAMES[f], rng, "app", slot1=(3, 60), completion=150,
                                          name=f"{g}/frame-{f + 1}", app=nm)
                    for nm, g in zip(names, _group_names(b, d))
                    for f in [int(rng.integers(len(spec.APP_FRAMES)))]])
    d["domain"][:] = dom[member]
    d["org"][:] = org[member]
    d["prim_base"][:] = tpl[member]
    country = b.countries(k)
    d["country"][:] = country[member]
    d["created"][:] = b.created_before(n, 10, 600)
    d["fam_a"][:] = _client("sdk-node")
    d["rate"][:] = b.rates(n, 25.0, 0.5, 120.0)
    d["topic"][:] = rng.integers(0, N_TOPICS, n)
    d["model"][:] = 3
    _cloud_pool(b, d, member, k)
    card = b.instruments(k, 0, b.bank_bins(k))
    b.pay(idx, card[member])


def _cloud_pool(b: _Builder, d: dict[str, np.ndarray], member: np.ndarray, k: int) -> None:
    """A few fixed cloud addresses per group, from the last cloud block."""
    d["pool_base"][:] = block_start("cloud", last=True) + b.slots("cloud", k)[member]
    d["pool_n"][:] = b.rng.integers(2, 5, k)[member]


# -- campaigns ----------------------------------------------------------------


def _campaign_block(b: _Builder, sizes: np.ndarray, style: str, ids: list[str], **cols: object):
    n = int(sizes.sum())
    idx, d = b.block(n, style, **cols)
    gid = b.groups(sizes, style, ids)
    d["group"][:] = gid
    d["campaign"][:] = gid
    for cid, size in zip(ids, sizes):
        b.campaigns.append({"campaign_id": cid, "style": style, "accounts": int(size)})
    member = np.repeat(np.arange(len(sizes)), sizes)
    d["country"][:] = b.countries(n)
    d["domain"][:] = b.public_domains(n)
    d["topic"][:] = b.rng.integers(0, N_TOPICS, n)
    d["model"][:] = b.rng.choice([0, 1], n, p=[0.4, 0.6])
    d["comp"][:] = b.rng.normal(0.0, 0.15, n)
    return idx, d, member


def _group_names(b: _Builder, d: dict[str, np.ndarray]) -> list[str]:
    """Names of the groups of a block, in group id order."""
    return [b.group_ids[int(g)] for g in np.unique(d["group"])]


def _scaffold_per_campaign(b: _Builder, style: str, ids: list[str], completion: float) -> np.ndarray:
    """One scaffold per campaign: a frame of the style, rendered once."""
    frames = spec.CAMPAIGN_FRAMES[style]
    return np.array([
        b.scaffolds.add_frame(frames[f], b.rng, style, slot1=(40, 200), slot2=(30, 150),
                              completion=completion, name=f"{cid}/frame-{f + 1}")
        for cid in ids
        for f in [int(b.rng.integers(len(frames)))]
    ])


def _loadbal(b: _Builder, sizes: np.ndarray, ids: list[str]) -> None:
    k = len(sizes)
    idx, d, member = _campaign_block(b, sizes, "loadbal", ids, net_a=POOL, net_b=POOL, profile=FLAT,
                                     steady=True, p_prim=0.88, fam_a=_client("go-http"))
    rng, n = b.rng, len(idx)
    burst = b.t0 + (rng.uniform(-20, max(1.0, b.days * 0.4), k) * DAY).astype(np.int64)
    d["created"][:] = burst[member] + rng.integers(0, 4 * 3600, n)
    d["active_from"][:] = (d["created"] - b.t0) // DAY + 1
    d["key_a"][:] = rng.integers(0, 1 << 62, k)[member]  # one home-built client per campaign
    d["tier"][:] = rng.choice([1, 2], n, p=[0.3, 0.7])
    d["rate"][:] = rng.uniform(3, 6, k)[member]
    d["prim_base"][:] = _scaffold_per_campaign(b, "loadbal", ids, 3000)[member]
    proxy = rng.integers(0, 4, k)
    d["pool_base"][:] = block_start("proxy") + (proxy << 20)[member]
    d["pool_n"][:] = 1 << 20
    d["suspended"][:] = rng.random(n) < 0.05
    # virtual / prepaid cards from two or three BINs per campaign; some cards reused
    bin_lo = rng.integers(b.virtual_bins[0], b.prepaid_bins[1] - 3, k)
    bins = bin_lo[member] + rng.integers(0, 3, n)
    mtype = np.where(bins >= b.prepaid_bins[0], 2, 1)
    inst = b.instruments(n, mtype, bins)
    reuse = rng.random(n) < 0.2
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])[member]
    within = np.arange(n) - first
    donor = first + (rng.random(n) * np.maximum(within, 1)).astype(np.int64)
    inst = np.where(reuse & (within > 0), inst[donor], inst)
    b.pay(idx, inst)


def _shift(b: _Builder, sizes: np.ndarray, ids: list[str]) -> None:
    k = len(sizes)
    idx, d, member = _campaign_block(b, sizes, "shift", ids, net_a=ROTATE, net_b=ROTATE, profile=SHIFT,
                                     p_prim=0.85, shift_len=8)
    rng, n = b.rng, len(idx)
    d["created"][:] = b.created_before(n, 3, 60)
    d["tier"][:] = rng.choice(3, n, p=[0.3, 0.4, 0.3])
    d["fam_a"][:] = b.clients(n, ("sdk",))
    d["n_keys"][:] = rng.integers(1, 3, n)
    d["rate"][:] = rng.uniform(5, 10, k)[member]
    d["weekend"][:] = rng.uniform(0.8, 1.0, k)[member]
    teams = rng.integers(2, 4, k)
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])[member]
    team = (np.arange(n) - first) % teams[member]
    d["shift"][:] = (rng.integers(0, 24, k)[member] + team * 8) % 24
    d["prim_base"][:] = _scaffold_per_campaign(b, "shift", ids, 1800)[member]
    mtype = rng.choice(4, n, p=[0.5, 0.25, 0.1, 0.15])
    bins = np.where(mtype == 3, -1, np.where(mtype == 1, rng.integers(*b.virtual_bins, n), b.bank_bins(n)))
    b.pay(idx, b.instruments(n, mtype, bins))


def _stealth(b: _Builder, sizes: np.ndarray, ids: list[str]) -> list[np.ndarray]:
    k = len(sizes)
    idx, d, member = _campaign_block(b, sizes, "stealth", ids, net_a=FIXED, net_b=FIXED, profile=LOCKSTEP,
                                     p_prim=0.8)
    rng, n = b.rng, len(idx)
    d["created"][:] = b.created_before(n, 5, 90)
    d["tier"][:] = rng.choice([1, 2], n)
    d["fam_a"][:] = b.clients(n, ("browser", "sdk"))
    d["key_a"][:] = rng.integers(0, 1 << 62, n)  # every account its own device
    country = b.countries(k)
    d["country"][:] = country[member]
    used: set[str] = set()
    look = np.array([b.domain(_lookalike(_slug(_name(rng, used)), rng)) for _ in range(k)])
    d["domain"][:] = look[member]
    # every account its own paraphrase of the campaign's scaffold
    frames = spec.CAMPAIGN_FRAMES["stealth"]
    frame = rng.integers(0, len(frames), k)[member]
    d["prim_base"][:] = [b.scaffolds.add_frame(frames[f], rng, "stealth", slot1=(40, 200), completion=2500,
                                               name=f"{ids[m]}/frame-{f + 1}")
                         for f, m in zip(frame, member)]
    b.pay(idx, b.instruments(n, 0, b.bank_bins(n)))
    first = np.concatenate([[0], np.cumsum(sizes)])
    return [idx[first[i]:first[i + 1]] for i in range(k)]


def _lookalike(slug: str, rng: np.random.Generator) -> str:
    """A typo-squat of a company domain: doubled or swapped letters, a dropped hyphen, another TLD."""
    s = slug
    i = int(rng.integers(1, len(s) - 1))
    trick = int(rng.integers(4))
    if trick == 0:
        s = s[:i] + s[i] + s[i:]
    elif trick == 1 and s[i] != "-" and s[i + 1] != "-":
        s = s[:i] + s[i + 1] + s[i] + s[i + 2:]
    elif trick == 2:
        s = s.replace("-", "") + "-group"
    else:
        s = s + "-ai"
    return s + (".co", ".io", ".net", "-corp.com")[int(rng.integers(4))]


def _reseller(b: _Builder, sizes: np.ndarray, ids: list[str], public: tuple[int, int]) -> None:
    k = len(sizes)
    idx, d, member = _campaign_block(b, sizes, "reseller", ids, net_a=POOL, net_b=POOL, profile=FLAT,
                                     p_prim=0.45, p_pub=0.2, tier=2, fam_a=_client("sdk-python"))
    rng, n = b.rng, len(idx)
    used: set[str] = set()
    names = [_name(rng, used) for _ in range(k)]
    d["domain"][:] = np.array([b.domain(_slug(nm).split("-")[0] + "-api-gateway.io") for nm in names])[member]
    d["org"][:] = np.array([b.org() for _ in range(k)])[member]
    d["created"][:] = b.created_before(n, 30, 400)
    d["n_keys"][:] = 3
    d["rate"][:] = rng.uniform(12, 25, n)
    d["pub"][:] = public[0] + rng.integers(0, public[1], n)
    d["prim_base"][:] = _scaffold_per_campaign(b, "reseller", ids, 2800)[member]
    _cloud_pool(b, d, member, k)
    card = b.instruments(k, 0, b.bank_bins(k))
    b.pay(idx, card[member])


def _sweep(b: _Builder, sizes: np.ndarray, ids: list[str], plan: np.ndarray) -> None:
    rng, k = b.rng, len(sizes)
    life_c, start_c, n_gens = plan[:, 0], plan[:, 1], plan[:, 2]
    per = sizes * n_gens
    idx, d, member = _campaign_block(b, per, "sweep", ids, net_a=CARRIER, net_b=CARRIER, profile=FLAT,
                                     p_prim=0.9, fam_a=_client("aiohttp"))
    n = len(idx)
    first = np.concatenate([[0], np.cumsum(per)[:-1]])[member]
    gen = (np.arange(n) - first) // sizes[member]
    life = life_c[member]
    created_day = start_c[member] + gen * life
    d["created"][:] = b.t0 + created_day * DAY + rng.integers(3600, 12 * 3600, n)
    ban = b.t0 + (created_day + life) * DAY + rng.integers(0, 3 * 3600, n)
    banned = ban < b.t0 + b.days * DAY
    d["banned"][:] = np.where(banned, ban, -1)
    d["active_from"][:] = created_day + 1
    d["active_to"][:] = np.where(banned, created_day + life, _NO_DAY)
    d["carrier"][:] = rng.integers(3, 5, k)[member]
    d["key_a"][:] = rng.integers(0, 1 << 62, k)[member]  # the same tool across generations
    d["tier"][:] = rng.choice(2, n)
    d["rate"][:] = rng.uniform(15, 30, k)[member]
    technique = rng.permuted(np.tile(np.arange(len(spec.SWEEP_TECHNIQUES)), (k, 1)), axis=1)
    tids = np.array([[b.scaffolds.add_frame(t, rng, "sweep", slot1=(40, 200), completion=3500,
                                            name=f"{cid}/technique-{i + 1}")
                      for i, t in enumerate(spec.SWEEP_TECHNIQUES)] for cid in ids])
    camp = member
    d["prim_base"][:] = tids[camp, technique[camp, gen % len(spec.SWEEP_TECHNIQUES)]]
    # a new prepaid card per account; a third reuse a card of the previous generation
    bins = rng.integers(*b.prepaid_bins, k)[member]
    inst = b.instruments(n, 2, bins)
    reuse = (gen > 0) & (rng.random(n) < 0.3)
    donor = np.arange(n) - sizes[member]
    inst = np.where(reuse, inst[np.maximum(donor, 0)], inst)
    b.pay(idx, inst)


# -- pools and tables ------------------------------------------------------------


def block_start(role: str, last: bool = False) -> int:
    """First IPv4 address (as an integer) of the first (or last) network block of *role*."""
    starts = [_ipv4_int(c.split("/")[0]) for c, _t, _a, _o, r in spec.NET_BLOCKS if r == role]
    return starts[-1] if last else starts[0]


def _ipv4_int(text: str) -> int:
    a, b_, c, d = (int(x) for x in text.split("."))
    return (a << 24) | (b_ << 16) | (c << 8) | d


def _carrier_pools(cols: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Pool of each carrier (0-2 mobile, 3-4 VPN): one address per ~150 users, at least 2."""
    uses = (cols["net_a"] == CARRIER) | ((cols["net_b"] == CARRIER) & (cols["fam_b"] >= 0))
    users = np.bincount(cols["carrier"][uses].astype(np.int64), minlength=5)[:5]
    bases = np.array([_ipv4_int(c.split("/")[0]) for c, _t, _a, _o, r in spec.NET_BLOCKS if r in ("cgnat", "vpn")])
    return bases.astype(np.int64), np.maximum(2, np.ceil(users / 150)).astype(np.int64)


def _ts(seconds: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.asarray(seconds, dtype=np.int64) * 1_000_000, pa.timestamp("us"), mask=mask)


def account_id_text(world: World, acc: np.ndarray) -> pa.Array:
    """Account ids (``acct_`` + a number unrelated to the account's group)."""
    return padded_ids("acct_", world.account_ids[acc], world.id_width)


def _account_text(w: World) -> dict[str, pa.Array]:
    c, idx = w.cols, np.arange(w.n)
    devices = []
    for fam, key in ((c["fam_a"], c["key_a"]), (c["fam_b"], c["key_b"])):
        # a common client shares its family's fingerprint; an own device has its own
        devices.append(np.where(key < 0, mix64(np.maximum(fam, 0), w.salt ^ 0x0C), mix64(key, w.salt ^ 0x0D)))
    return {
        "account": account_id_text(w, idx),
        "device": hex_ids(np.concatenate(devices), "fp_"),
        "api_key": hex_ids(mix64(np.concatenate([idx * 4 + k for k in range(3)]), w.salt ^ 0x0E), "key_"),
    }


def _accounts_table(w: World, b: _Builder) -> pa.Table:
    c = w.cols
    idx = np.arange(w.n)
    status = np.where(c["banned"] >= 0, 2, np.where(c["suspended"], 1, 0))
    org_text = hex_ids(mix64(np.arange(b.n_orgs), w.salt ^ 0x0A), "org_")
    table = pa.table({
        "account_id": account_id_text(w, idx),
        "created_at": _ts(c["created"]),
        "org_id": take(org_text, c["org"]),
        "email_domain": take(b.domains, c["domain"]),
        "country": take([x[0] for x in spec.COUNTRIES], c["country"]),
        "tier": take(TIERS, c["tier"]),
        "status": take(("active", "suspended", "banned"), status),
        "banned_at": _ts(c["banned"], mask=c["banned"] < 0),  # extra column: when the ban happened
    })
    return table.take(pa.array(np.argsort(w.account_ids, kind="stable")))


def _payments_table(w: World, b: _Builder) -> pa.Table:
    rng = np.random.default_rng([w.seed, 2])
    acc = np.concatenate(b.pay_acc)
    inst = np.concatenate(b.pay_inst)
    mtype = np.concatenate(b.inst_type)[inst]
    bins = np.concatenate(b.inst_bin)[inst]
    created = w.cols["created"][acc]
    t_end = w.t0 + w.days * DAY
    fast = w.cols["campaign"][acc] >= 0
    delay = np.where(fast, rng.uniform(0, 0.2, len(acc)), rng.uniform(0, 60, len(acc))) * DAY
    added = np.minimum(created + delay.astype(np.int64), np.maximum(created, t_end - 3600))
    fp_text = concat(take(("pm_", "inv_"), (mtype == 4).astype(np.int64)), hex_ids(mix64(inst, w.salt ^ 0x0B)))
    table = pa.table({
        "account_id": account_id_text(w, acc),
        "payment_fingerprint": fp_text,
        "method_type": take(METHOD_TYPES, mtype),
        "card_bin": take(b.bins, bins),
        "billing_country": take([x[0] for x in spec.COUNTRIES], w.cols["country"][acc]),
        "added_at": _ts(added),
    })
    return table.sort_by([("account_id", "ascending"), ("payment_fingerprint", "ascending")])


def _ip_intel_table() -> pa.Table:
    rows = spec.NET_BLOCKS
    return pa.table({
        "cidr": pa.array([r[0] for r in rows]),
        "asn": pa.array([r[2] for r in rows], pa.int64()),
        "as_org": pa.array([r[3] for r in rows]),
        "ip_type": pa.array([r[1] for r in rows]),
    })


def _labels_table(w: World, b: _Builder) -> pa.Table:
    c = w.cols
    idx = np.arange(w.n)
    is_campaign = c["campaign"] >= 0
    group_text = [b.group_ids[i] for i in range(b.n_groups)]
    t_end = w.t0 + w.days * DAY
    table = pa.table({
        "account_id": account_id_text(w, idx),
        "label": take(("benign", "distillation"), is_campaign.astype(np.int64)),
        "campaign_id": take(group_text, np.where(is_campaign, c["group"], -1)),
        "source": pa.array(np.full(w.n, "synthetic"), pa.string()),
        "labeled_at": _ts(np.full(w.n, t_end), mask=~is_campaign),
        "group_kind": take(KINDS, c["kind"]),
        "group_id": take(group_text, c["group"]),
    })
    return table.take(pa.array(np.argsort(w.account_ids, kind="stable")))
