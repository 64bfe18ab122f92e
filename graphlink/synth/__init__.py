"""Synthetic API-provider worlds with ground truth, in the data contract's format.

:func:`generate` writes a world of benign look-alikes and distillation
campaigns (see :mod:`graphlink.synth.world`) as the contract's tables::

    OUT_DIR/accounts.<fmt>
    OUT_DIR/payment_methods.<fmt>
    OUT_DIR/ip_intel.<fmt>
    OUT_DIR/requests/requests-<ISO year>-W<week>.<fmt>   one file per ISO week
    OUT_DIR/truth/labels.<fmt>                           ground truth, kept apart
    OUT_DIR/truth/request_scaffolds/request_scaffolds-<ISO year>-W<week>.<fmt>
                                                         each request's true template
    OUT_DIR/truth/world.json                             parameters, row counts, campaigns

The labels carry the contract's columns (``label`` is ``distillation`` or
``benign``, ``campaign_id`` such as ``camp-stealth-03``) plus ``group_kind``
(the campaign style or benign group kind) and ``group_id``, so an evaluation
can report recall per style and false positives per benign group.
``request_scaffolds`` gives every request's ``request_id`` and ``scaffold``:
the name of the true template its prompt was written from, shared by every
paraphrase of one frame (``camp-stealth-03/frame-1``, ``ent-02/frame-3``,
``public/template-04``, ``camp-sweep-05/technique-2``), null for organic
free-form prompts; it is split by ISO week like the requests.

The same arguments give byte-identical files.  Requests are generated in
chunks of a day's traffic, so memory is bounded by the population plus a
chunk whatever the number of days.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa

from .. import __version__
from ..db import Database
from ..errors import ConfigError, InputError
from .traffic import REQUEST_SCHEMA, SCAFFOLD_SCHEMA, day_requests
from .world import BENIGN_KINDS, KINDS, MIN_ACCOUNTS, STYLES, World, build_world
from .writer import EXTENSIONS, FORMATS, TableSink, write_table

__all__ = [
    "generate",
    "SynthResult",
    "PRESETS",
    "FORMATS",
    "STYLES",
    "BENIGN_KINDS",
    "DEFAULT_START",
    "DEFAULT_DAYS",
    "MIN_ACCOUNTS",
    "REQUESTS_PER_ACCOUNT",
    "world_size",
    "accounts_for_requests",
]

DEFAULT_START = dt.date(2026, 11, 2)
"""A Monday: the default 28 days are ISO weeks 2026-W45 to 2026-W48."""
DEFAULT_DAYS = 28

PRESETS: dict[str, dict[str, int]] = {
    "tiny": {"accounts": 300, "days": 14},
    "small": {"accounts": 1_000, "days": 28},
    "medium": {"accounts": 82_000, "days": 28},
    "large": {"accounts": 820_000, "days": 28},
}
"""Named sizes for ``graphlink synth --preset``: about 4k, 12k, 1M and 10M requests."""

REQUESTS_PER_ACCOUNT = 12.2
"""Requests per account over 28 days, on average (measured on 20k-account worlds)."""


def accounts_for_requests(requests: int, days: int = DEFAULT_DAYS) -> int:
    """The number of accounts whose world has about *requests* requests over *days* days."""
    return max(MIN_ACCOUNTS, int(round(requests / (REQUESTS_PER_ACCOUNT * days / 28))))


def world_size(preset: str | None = None, accounts: int | None = None,
               days: int | None = None) -> tuple[int, int]:
    """Accounts and days from a preset name, overridden by explicit values.

    Without a preset the defaults are the ``small`` preset's accounts and
    :data:`DEFAULT_DAYS` days.

    Raises
    ------
    ConfigError : an unknown preset.
    """
    if preset is not None and preset not in PRESETS:
        raise ConfigError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
    base = PRESETS[preset] if preset else {"accounts": PRESETS["small"]["accounts"], "days": DEFAULT_DAYS}
    return (accounts if accounts is not None else base["accounts"],
            days if days is not None else base["days"])


@dataclass
class SynthResult:
    """What :func:`generate` wrote.

    Attributes
    ----------
    out_dir : the output folder.
    paths : files per table (``requests`` and ``request_scaffolds`` have one per ISO week,
        ``labels`` and ``request_scaffolds`` are under truth/).
    rows : rows written per table.
    campaigns : one dict per campaign: ``campaign_id``, ``style``, ``accounts``, ``requests``.
    groups : accounts per group kind (benign kinds and campaign styles).
    seconds : wall time of the generation (not written to any file).
    """

    out_dir: Path
    fmt: str
    seed: int
    accounts: int
    days: int
    start: dt.date
    paths: dict[str, list[Path]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    campaigns: list[dict] = field(default_factory=list)
    groups: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        data = asdict(self)
        data["out_dir"] = str(self.out_dir)
        data["start"] = self.start.isoformat()
        data["paths"] = {k: [str(p) for p in v] for k, v in self.paths.items()}
        return data


def generate(
    out_dir: str | Path,
    *,
    accounts: int = PRESETS["small"]["accounts"],
    days: int = DEFAULT_DAYS,
    seed: int = 42,
    fmt: str = "parquet",
    start: dt.date | str | None = None,
    overwrite: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> SynthResult:
    """Write a synthetic world of *accounts* accounts and *days* days of requests.

    Parameters
    ----------
    out_dir : folder to write into (created when missing).
    accounts : number of accounts (at least :data:`MIN_ACCOUNTS`); about 12
        requests per account are generated over 28 days.
    days : length of the request period in days.
    seed : the world's seed; the same arguments give byte-identical files.
    fmt : ``parquet``, ``csv`` or ``jsonl``.
    start : first day (a date or ``YYYY-MM-DD``); default :data:`DEFAULT_START`.
    overwrite : replace files of an earlier world in *out_dir*; without it an
        existing world there is an error.
    progress : called as ``progress(done_days, days)`` after every day.

    Returns
    -------
    SynthResult

    Raises
    ------
    ConfigError : a bad size, format or start date.
    InputError : *out_dir* already holds a world and *overwrite* is false.

    Notes
    -----
    Time is linear in the number of requests and memory in the number of
    accounts plus one chunk of requests (graphlink.synth.traffic.CHUNK).
    """
    began = time.perf_counter()
    first_day = _check(accounts, days, fmt, start)
    out = Path(out_dir)
    _prepare(out, overwrite)
    world = build_world(accounts, days, seed, first_day)
    ext = EXTENSIONS[fmt]
    result = SynthResult(out, fmt, seed, accounts, days, first_day)
    with Database(":memory:", threads=1, create_schema=False) as json_db:
        for name, table, path in (
            ("accounts", world.accounts, out / f"accounts.{ext}"),
            ("payment_methods", world.payment_methods, out / f"payment_methods.{ext}"),
            ("ip_intel", world.ip_intel, out / f"ip_intel.{ext}"),
            ("labels", world.labels, out / "truth" / f"labels.{ext}"),
        ):
            result.rows[name] = write_table(path, fmt, table, json_db)
            result.paths[name] = [path]
        per_account = _write_requests(world, out, fmt, json_db, result, progress)
    result.campaigns = _campaign_summary(world, per_account)
    kinds = np.bincount(world.cols["kind"].astype(np.int64), minlength=len(KINDS))
    result.groups = {k: int(v) for k, v in zip(KINDS, kinds)}
    _write_manifest(out / "truth" / "world.json", result)
    result.seconds = time.perf_counter() - began
    return result


def _check(accounts: int, days: int, fmt: str, start: dt.date | str | None) -> dt.date:
    if fmt not in FORMATS:
        raise ConfigError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if accounts < MIN_ACCOUNTS:
        raise ConfigError(f"a synthetic world needs at least {MIN_ACCOUNTS} accounts, got {accounts}")
    if not 1 <= days <= 3660:
        raise ConfigError(f"days must be between 1 and 3660, got {days}")
    if start is None:
        return DEFAULT_START
    if isinstance(start, dt.date):
        return start
    try:
        return dt.date.fromisoformat(str(start))
    except ValueError:
        raise ConfigError(f"start must be a date like 2026-11-02, got {start!r}") from None


def _outputs(out: Path) -> list[Path]:
    """Files of an earlier world in *out* (only names this generator writes)."""
    found: list[Path] = []
    for ext in EXTENSIONS.values():
        for stem in ("accounts", "payment_methods", "ip_intel"):
            found += [out / f"{stem}.{ext}"]
        found += [out / "truth" / f"labels.{ext}"]
        found += sorted((out / "requests").glob(f"requests-*.{ext}"))
        found += sorted((out / "truth" / "request_scaffolds").glob(f"request_scaffolds-*.{ext}"))
    found.append(out / "truth" / "world.json")
    return [p for p in found if p.is_file()]


def _prepare(out: Path, overwrite: bool) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} exists and is not a folder")
    old = _outputs(out)
    if old and not overwrite:
        raise InputError(
            f"{out} already holds a synthetic world ({len(old)} files, e.g. {old[0]}); "
            "use --overwrite to replace it or choose another folder"
        )
    for path in old:
        path.unlink()
    out.mkdir(parents=True, exist_ok=True)


_WEEKLY = (
    ("requests", Path("requests"), REQUEST_SCHEMA),
    ("request_scaffolds", Path("truth") / "request_scaffolds", SCAFFOLD_SCHEMA),
)
"""Tables written one file per ISO week: name, folder under OUT_DIR, schema."""


def _write_requests(world: World, out: Path, fmt: str, json_db: Database, result: SynthResult,
                    progress: Callable[[int, int], None] | None) -> np.ndarray:
    """Generate and write every day; one file per ISO week.  Returns requests per account.

    Each chunk goes to ``requests/`` and its ground truth (the true template
    of each request) to ``truth/request_scaffolds/``.  A writer thread
    compresses and writes one chunk while the next is generated; at most one
    chunk waits, so memory stays at about two chunks beside the population.
    Writes happen in order, so the bytes do not depend on timing.
    """
    per_account = np.zeros(world.n, dtype=np.int64)
    sinks: list[TableSink] = []
    week = None
    for name, _, _ in _WEEKLY:
        result.paths[name] = []
    next_id = 0
    pending: Future | None = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="synth-writer") as writer:
        try:
            for day in range(world.days):
                iso = _date(world, day).isocalendar()
                stamp = f"{iso.year}-W{iso.week:02d}.{EXTENSIONS[fmt]}"
                if stamp != week:
                    if pending is not None:
                        pending.result()
                    for sink in sinks:
                        sink.close()
                    sinks = []
                    for name, folder, schema in _WEEKLY:
                        path = out / folder / f"{name}-{stamp}"
                        sinks.append(TableSink(path, fmt, schema, json_db))
                        result.paths[name].append(path)
                    week = stamp
                for table, acc, truth in day_requests(world, day, next_id):
                    next_id += table.num_rows
                    per_account += np.bincount(acc, minlength=world.n)
                    if pending is not None:
                        pending.result()
                    pending = writer.submit(_write_chunk, sinks, (table, truth))
                if progress is not None:
                    progress(day + 1, world.days)
            if pending is not None:
                pending.result()
        finally:
            if pending is not None:
                pending.exception()  # wait for the last write before closing its files
            for sink in sinks:
                sink.close()
    for name, _, _ in _WEEKLY:
        result.rows[name] = next_id
    return per_account


def _write_chunk(sinks: list[TableSink], tables: tuple[pa.Table, ...]) -> None:
    for sink, table in zip(sinks, tables):
        sink.write(table)


def _date(world: World, day: int) -> dt.date:
    return (dt.datetime.fromtimestamp(world.t0, dt.timezone.utc) + dt.timedelta(days=day)).date()


def _campaign_summary(world: World, per_account: np.ndarray) -> list[dict]:
    camp = world.cols["campaign"]
    mask = camp >= 0
    ids = np.unique(camp[mask])
    requests = dict(zip(ids.tolist(), np.bincount(np.searchsorted(ids, camp[mask]), weights=per_account[mask]).astype(np.int64).tolist()))
    out = []
    for c, row in zip(ids.tolist(), world.campaigns):
        out.append({**row, "requests": int(requests.get(c, 0))})
    return out


def _write_manifest(path: Path, result: SynthResult) -> None:
    data = result.to_dict()
    data.pop("seconds")
    data.pop("out_dir")
    data["paths"] = {k: [str(Path(p).relative_to(result.out_dir)) for p in v] for k, v in result.paths.items()}
    data["generator"] = f"graphlink {__version__}"
    data["command"] = (
        f"graphlink synth OUT_DIR --accounts {result.accounts} --days {result.days} "
        f"--seed {result.seed} --format {result.fmt} --start {result.start.isoformat()}"
    )
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
