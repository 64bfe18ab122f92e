"""Requests of one day of a synthetic world, generated in bulk with numpy and pyarrow.

:func:`day_requests` draws every account's request count for the day from
its rate, places the requests in the day by the account's activity profile
(diurnal in its time zone, business hours, around the clock, synchronised
shifts, or lockstep ticks shared by a campaign), then picks client, network
address, API key, model, prompt and token counts for a whole chunk at once,
and beside each chunk the ground truth of its prompts: the true template
(scaffold name) each request was written from (:data:`SCAFFOLD_SCHEMA`).
Memory is bounded by one chunk of a day's traffic (:data:`CHUNK` requests).
"""

from __future__ import annotations

from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import spec
from .fmt import ipv4_text, ipv6_text, mix64, padded_ids, take
from .text import N_TOPICS, assemble
from .world import (
    BUSINESS, CARRIER, DAY, DIURNAL, FIXED, FLAT, HOME4, HOME6, HOUR_CDF, LOCKSTEP, POOL, ROTATE,
    SHIFT, World, block_start,
)

__all__ = ["day_requests", "REQUEST_SCHEMA", "SCAFFOLD_SCHEMA", "CHUNK"]

REQUEST_SCHEMA = pa.schema([
    ("request_id", pa.string()),
    ("account_id", pa.string()),
    ("ts", pa.timestamp("us")),
    ("ip", pa.string()),
    ("device_fingerprint", pa.string()),
    ("user_agent", pa.string()),
    ("api_key_id", pa.string()),
    ("model", pa.string()),
    ("prompt", pa.string()),
    ("prompt_tokens", pa.int64()),
    ("completion_tokens", pa.int64()),
])

SCAFFOLD_SCHEMA = pa.schema([
    ("request_id", pa.string()),
    ("scaffold", pa.string()),
])
"""Ground truth of each request's prompt: its true template, null for organic free-form text."""

CHUNK = 65_536
"""Requests per generated table; fixed, so the random streams (and bytes) never depend on memory."""
_HOME_BITS = 23  # residential space: 10.0.0.0/9
_ROTATE_SIZE = 3 << 18  # the first three cloud blocks
_LOCKSTEP_TICKS = 8.0  # ticks per stealth campaign per day
_LOCKSTEP_JOIN = 0.85  # chance an account acts on a tick
_LOCKSTEP_JITTER = 20  # seconds
_CLIENT_KIND = np.array([c[1] for c in spec.CLIENTS])
_CHAT_CLIENT = np.isin(_CLIENT_KIND, ("browser", "mobile"))
_UA = pa.array([c[2] for c in spec.CLIENTS])


def day_requests(world: World, day: int, first_id: int) -> Iterator[tuple[pa.Table, np.ndarray, pa.Table]]:
    """The requests of day *day* (0-based), sorted by time, numbered from *first_id*.

    Yields tables of at most :data:`CHUNK` rows (see :data:`REQUEST_SCHEMA`),
    each with the account index of its rows and the true template of its rows
    (see :data:`SCAFFOLD_SCHEMA`, same row order), so memory is bounded by a
    chunk whatever the size of the world.  The same world, day and first id
    always give the same rows.
    """
    rng = np.random.default_rng([world.seed, 3, day])
    acc, sec = _schedule(world, day, rng)
    order = np.lexsort((acc, sec))
    acc, sec = acc[order], sec[order]
    for start in range(0, len(acc), CHUNK):
        part = acc[start:start + CHUNK]
        requests, sid = _requests(world, day, part, sec[start:start + CHUNK], first_id + start, rng)
        truth = pa.table([requests.column("request_id"), world.scaffolds.arrays.name.take(pa.array(sid))],
                         schema=SCAFFOLD_SCHEMA)
        yield requests, part, truth


def _requests(world: World, day: int, acc: np.ndarray, sec: np.ndarray, first_id: int,
              rng: np.random.Generator) -> tuple[pa.Table, np.ndarray]:
    """Client, address, key, model, prompt and tokens of requests already placed in time,
    and the scaffold id of every request."""
    n = len(acc)
    c = world.cols
    use_b = (c["fam_b"][acc] >= 0) & (rng.random(n) < c["p_b"][acc])
    fam = np.where(use_b, c["fam_b"][acc], c["fam_a"][acc])
    key_slot = rng.integers(0, 1 << 8, n) % c["n_keys"][acc]
    api_key = np.where(_CHAT_CLIENT[fam], -1, key_slot * world.n + acc)
    model = np.where(rng.random(n) < 0.15, rng.integers(0, len(spec.MODELS), n), c["model"][acc])
    sid, topic = _prompt_choice(world, acc, rng)
    scaffolds = world.scaffolds.arrays
    prompt = assemble(rng, scaffolds, sid, topic)
    prompt_bytes = pc.binary_length(prompt).to_numpy()
    prompt_tokens = np.maximum(1, np.ceil(prompt_bytes / 4 * rng.uniform(0.9, 1.1, n))).astype(np.int64)
    log_mean = scaffolds.completion[sid] + c["comp"][acc]
    completion = np.clip(np.exp(rng.normal(log_mean, 0.45)), 1, 16384).astype(np.int64)
    return pa.table({
        "request_id": padded_ids("req_", first_id + np.arange(n), 10),
        "account_id": world.text["account"].take(pa.array(acc)),
        "ts": pa.array((world.t0 + day * DAY + sec) * 1_000_000, pa.timestamp("us")),
        "ip": _addresses(world, acc, use_b, day, rng),
        "device_fingerprint": world.text["device"].take(pa.array(acc + world.n * use_b)),
        "user_agent": _UA.take(pa.array(fam.astype(np.int64))),
        "api_key_id": take(world.text["api_key"], api_key),
        "model": take(spec.MODELS, model),
        "prompt": prompt,
        "prompt_tokens": pa.array(prompt_tokens),
        "completion_tokens": pa.array(completion),
    }, schema=REQUEST_SCHEMA), sid


# -- when ---------------------------------------------------------------------


def _schedule(world: World, day: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Account index and second of the day of every request of the day."""
    c = world.cols
    weekday = (world.t0 // DAY + 3 + day) % 7  # 1970-01-01 was a Thursday (weekday 3)
    active = (c["active_from"] <= day) & (day < c["active_to"])
    lam = c["rate"] * np.where(weekday >= 5, c["weekend"], 1.0) * active
    lam[c["profile"] == LOCKSTEP] = 0.0
    counts = np.where(c["steady"], np.floor(lam + rng.random(world.n)), rng.poisson(lam)).astype(np.int64)
    acc = np.repeat(np.arange(world.n), counts)
    sec = np.zeros(len(acc), dtype=np.int64)
    profile = c["profile"][acc]
    u = rng.random((2, len(acc)))
    for prof, cdf in ((DIURNAL, HOUR_CDF[0]), (BUSINESS, HOUR_CDF[1])):
        m = profile == prof
        local = np.searchsorted(cdf, u[0, m] * cdf[-1], side="right")
        tz = np.array([x[1] for x in spec.COUNTRIES])[c["country"][acc[m]]]
        sec[m] = ((local - tz) % 24) * 3600 + (u[1, m] * 3600).astype(np.int64)
    m = profile == FLAT
    sec[m] = (u[0, m] * DAY).astype(np.int64)
    m = profile == SHIFT
    start, length = c["shift"][acc[m]].astype(np.int64), c["shift_len"][acc[m]].astype(np.int64)
    sec[m] = (start * 3600 + (u[0, m] * length * 3600).astype(np.int64)) % DAY
    lock_acc, lock_sec = _lockstep(world, day, active, rng)
    return np.concatenate([acc, lock_acc]), np.concatenate([sec, lock_sec])


def _lockstep(world: World, day: int, active: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Lockstep campaigns: shared ticks each day; each member acts on most ticks within seconds."""
    members, offsets = world.lockstep_members, world.lockstep_offsets
    k = len(offsets) - 1
    if k == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    ticks = rng.poisson(_LOCKSTEP_TICKS, k) + 1
    tick_camp = np.repeat(np.arange(k), ticks)
    tick_sec = (rng.random(len(tick_camp)) * (DAY - 2 * _LOCKSTEP_JITTER)).astype(np.int64)
    size = np.diff(offsets)
    per_tick = size[tick_camp]
    tick = np.repeat(np.arange(len(tick_camp)), per_tick)
    start = np.repeat(np.cumsum(per_tick) - per_tick, per_tick)
    acc = members[offsets[tick_camp[tick]] + np.arange(len(tick)) - start]
    keep = (rng.random(len(acc)) < _LOCKSTEP_JOIN) & active[acc]
    sec = tick_sec[tick] + rng.integers(0, _LOCKSTEP_JITTER, len(tick))
    return acc[keep], sec[keep]


# -- what -----------------------------------------------------------------------


def _prompt_choice(world: World, acc: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Scaffold id and topic of every request: the account's own scaffold, a public one, or organic."""
    c = world.cols
    n = len(acc)
    u = rng.random(n)
    p_prim = c["p_prim"][acc]
    primary = c["prim_base"][acc] + (rng.random(n) * c["prim_n"][acc]).astype(np.int64)
    organic = world.organic[0] + rng.integers(0, world.organic[1], n)
    sid = np.where(u < p_prim, primary, np.where(u < p_prim + c["p_pub"][acc], c["pub"][acc], organic))
    topic = np.where(rng.random(n) < 0.7, c["topic"][acc], rng.integers(0, N_TOPICS, n))
    return sid, topic


# -- where ------------------------------------------------------------------------


def _addresses(world: World, acc: np.ndarray, use_b: np.ndarray, day: int, rng: np.random.Generator) -> pa.Array:
    """Client address of every request, by the network mode of the client used."""
    c = world.cols
    n = len(acc)
    mode = np.where(use_b, c["net_b"][acc], c["net_a"][acc])
    v4 = np.zeros(n, dtype=np.uint64)
    home = np.uint64(block_start("home"))
    household = c["household"][acc].astype(np.uint64)
    m = mode == HOME4
    epoch = (day + c["phase"][acc[m]]) // c["period"][acc[m]]
    v4[m] = home + (mix64((household[m] << np.uint64(16)) + epoch.astype(np.uint64), world.salt ^ 0x10)
                    & np.uint64((1 << _HOME_BITS) - 1))
    m = mode == FIXED  # an odd multiplier is a bijection: every key its own address
    v4[m] = home + ((household[m] * np.uint64(0x9E3779B1) + np.uint64(world.salt & 0xFFFF))
                    & np.uint64((1 << _HOME_BITS) - 1))
    m = mode == CARRIER
    carrier = c["carrier"][acc[m]]
    v4[m] = (world.carrier_base[carrier] + rng.integers(0, world.carrier_n[carrier])).astype(np.uint64)
    m = mode == POOL
    v4[m] = (c["pool_base"][acc[m]] + rng.integers(0, c["pool_n"][acc[m]])).astype(np.uint64)
    m = mode == ROTATE
    v4[m] = np.uint64(block_start("cloud")) + (
        mix64((acc[m].astype(np.uint64) << np.uint64(16)) + np.uint64(day), world.salt ^ 0x11)
        % np.uint64(_ROTATE_SIZE))
    six = mode == HOME6
    hi = (np.uint64(spec.IPV6_HOME_PREFIX) << np.uint64(32)) | (mix64(household[six], world.salt ^ 0x12) & np.uint64(0xFFFFFFFF))
    lo = rng.integers(1, 1 << 63, six.sum(), dtype=np.int64).astype(np.uint64) * np.uint64(2) + np.uint64(1)
    text4 = ipv4_text(v4[~six])
    text6 = ipv6_text(hi, lo)
    position = np.empty(n, dtype=np.int64)
    position[~six] = np.arange(n - six.sum())
    position[six] = n - six.sum() + np.arange(six.sum())
    return pa.concat_arrays([text4, text6]).take(pa.array(position))
