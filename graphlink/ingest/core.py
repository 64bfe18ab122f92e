"""The ingest stage: files in, canonical tables + rejects + ingest log out.

Each file is seen through views, never copied whole: ``_ingest_raw`` reads it
(Parquet with its own column types; CSV and JSON Lines, which need their
lines numbered and broken lines kept, through a temp table of text), the
stage view matches its columns to the contract's, and the view of
``queries/ingest/<table>_checked.sql`` types and checks every row.  DuckDB
computes, in each pass over the file, only the columns that pass reads:

1. the keys repeated in the file (``repeated``), the stored rows with a key
   the file holds (``<table>_stored``) and the rows with such keys (``held``):
   key columns only;
2. in one transaction, every *plain* row (no rule broken, nothing masked, a
   key neither repeated nor stored) streams into the table; the other rows,
   usually none, are then kept aside with all their values (``exceptions``),
   ranked for duplicates (``dedupe``) and stored, rejected or skipped; the
   rejects and the log entry follow.

On any error nothing of the file is stored.
"""

from __future__ import annotations

import json
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from ..config import Config
from ..db import Database
from ..errors import InputError, QueryError
from .columns import ColumnPlan, normalise_mapping, plan_columns, stage_sql
from .sources import InputFile, file_hash, resolve_inputs

__all__ = ["ingest", "IngestResult", "FileResult", "ProgressHook"]

log = logging.getLogger(__name__)

ProgressHook = Callable[[str, int, int], None]
"""Called as ``hook(description, bytes_done, bytes_total)`` when a step starts."""

_FORMAT_NAMES = {"csv": "CSV", "parquet": "Parquet", "jsonl": "JSON Lines", "json": "JSON"}
_JSON_LAYOUT = {"jsonl": "newline_delimited", "json": "auto"}


@dataclass
class FileResult:
    """What happened to one input file."""

    path: str
    table: str
    format: str
    file_hash: str
    bytes: int
    status: str
    """``loaded``, or ``skipped`` when a file with the same content was already ingested into the table."""
    note: str | None = None
    ingest_id: int | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_duplicate: int = 0
    """Rows skipped because the same row (same id, same values) is already stored or earlier in the file."""
    rows_masked: int = 0
    """Loaded rows in which a card-like number was masked."""
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    extra_columns: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class IngestResult:
    """The outcome of one :func:`ingest` call."""

    files: list[FileResult]
    unknown_accounts: int
    """Accounts that requests / payment_methods mention but accounts does not hold (kept)."""
    strict: bool = False
    notes: list[str] = field(default_factory=list)

    def _total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)

    rows_read = property(lambda self: self._total("rows_read"), doc="Rows read, all files.")
    rows_loaded = property(lambda self: self._total("rows_loaded"), doc="Rows stored, all files.")
    rows_rejected = property(lambda self: self._total("rows_rejected"), doc="Rows rejected, all files.")
    rows_duplicate = property(lambda self: self._total("rows_duplicate"), doc="Duplicate rows skipped, all files.")

    @property
    def rejected_by_reason(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.files:
            for reason, n in f.rejected_by_reason.items():
                out[reason] = out.get(reason, 0) + n
        return dict(sorted(out.items()))

    @property
    def failed(self) -> bool:
        """True under strict mode when any row was rejected."""
        return self.strict and self.rows_rejected > 0

    @property
    def warnings(self) -> list[str]:
        out = []
        if self.unknown_accounts:
            out.append(
                f"{self.unknown_accounts:,} account(s) appear in requests or payment_methods but not in "
                "accounts; their rows are kept and the accounts treated as of unknown sign-up time"
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": [f.to_dict() for f in self.files],
            "totals": {
                "files": len(self.files),
                "files_skipped": sum(f.status == "skipped" for f in self.files),
                "rows_read": self.rows_read,
                "rows_loaded": self.rows_loaded,
                "rows_rejected": self.rows_rejected,
                "rows_duplicate": self.rows_duplicate,
                "rejected_by_reason": self.rejected_by_reason,
            },
            "unknown_accounts": self.unknown_accounts,
            "strict": self.strict,
            "failed": self.failed,
            "warnings": self.warnings,
            "notes": self.notes,
        }


@dataclass
class _Planned:
    file: InputFile
    digest: str
    plan: ColumnPlan
    shown: dict[str, str]
    columns: list[str]


def ingest(
    db: Database,
    config: Config,
    paths: Iterable[str],
    *,
    table: str | None = None,
    mapping: Mapping[str, str] | None = None,
    strict: bool = False,
    progress: ProgressHook | None = None,
) -> IngestResult:
    """Load input files into the canonical tables, following the data contract.

    Parameters
    ----------
    db : the database to write.
    config : ``config.ingest.mapping`` and ``config.ingest.strict`` apply.
    paths : files, folders (read recursively) and globs; CSV (``.csv``,
        ``.csv.gz``), Parquet and JSON Lines (``.jsonl``, ``.ndjson``, ``.gz``).
    table : the table every file holds; default: from each file's (or its
        folder's) name, e.g. ``requests-2026-11-23.parquet``.
    mapping : source column -> contract column, on top of ``config.ingest.mapping``.
    strict : mark the result failed when any row is rejected (rows are stored either way).
    progress : called as each file's steps start.

    Returns
    -------
    IngestResult
        Per file: rows read, loaded, rejected (by reason), duplicates skipped;
        ``loaded + rejected + duplicate == read`` for every file.

    Raises
    ------
    InputError
        A path that does not exist, a file that cannot be read or whose table
        cannot be told, or a file lacking a required column (the message names
        the file, the missing columns and the columns found).  Every file's
        columns are checked before any file is loaded; a file that fails while
        loading leaves nothing behind (files before it stay loaded).

    Notes
    -----
    Cost is a few passes of DuckDB over each file, no Python loop over rows:
    three over its key columns, one over the whole file (once more when some
    rows break a rule, hold a card-like number or repeat a key).  A Parquet
    file is streamed, never copied whole, so memory stays flat as files grow
    and DuckDB's memory limit holds (its joins and aggregates spill).
    """
    files, notes = resolve_inputs(paths, table)
    db.script("ingest/macros")
    files = [replace(f, shown=shown) for f, shown in zip(files, _mask_texts(db, [str(f.path) for f in files]))]
    merged = normalise_mapping({**config.ingest.mapping, **dict(mapping or {})})
    total = sum(f.size for f in files)
    done = 0
    results: list[FileResult] = []
    todo: list[tuple[int, _Planned]] = []
    this_run: dict[tuple[str, str], str] = {}
    for f, digest in zip(files, _file_hashes(files, config.database.threads)):
        _report(progress, f"{Path(f.name).name}: checking", done, total)
        earlier = this_run.get((digest, f.table))
        known = db.fetch("ingest/known_file", {"file_hash": digest, "table": f.table})
        if earlier is None and known:
            earlier = f"{known[0][0]} ({known[0][1]:%Y-%m-%d %H:%M} UTC)"
        if earlier is not None:
            results.append(FileResult(
                f.name, f.table, f.format, digest, f.size, "skipped",
                note=f"same content already ingested from {earlier}",
            ))
            done += f.size
            continue
        this_run[(digest, f.table)] = f.name
        columns = _columns(db, f)
        shown = _mask_texts(db, columns)
        plan = plan_columns(f.name, f.table, columns, merged, shown)
        results.append(FileResult(f.name, f.table, f.format, digest, f.size, "planned"))
        todo.append((len(results) - 1, _Planned(f, digest, plan, dict(zip(columns, shown)), columns)))
    for index, planned in todo:
        size = planned.file.size
        results[index] = _load(
            db, planned, lambda step, part, base=done, size=size: _report(progress, step, base + int(part * size), total)
        )
        done += planned.file.size
        _report(progress, f"{Path(planned.file.name).name}: done", done, total)
    unknown = int(db.fetch("ingest/unknown_accounts")[0][0])
    return IngestResult(results, unknown, strict=bool(strict or config.ingest.strict), notes=notes)


def _file_hashes(files: list[InputFile], threads: int | None) -> Iterator[str]:
    """The files' content hashes, in order, read by a few threads at once (hashing releases the GIL)."""
    workers = max(1, min(len(files), threads or os.cpu_count() or 1))
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ingest-hash")
    try:
        yield from pool.map(file_hash, [f.path for f in files])
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _report(progress: ProgressHook | None, step: str, done: int, total: int) -> None:
    if progress is not None:
        progress(step, done, total)


def _mask_texts(db: Database, texts: list[str]) -> list[str]:
    """*texts* with card-like numbers masked (by the same SQL macro as the data)."""
    if not texts:
        return []
    return list(db.fetch("ingest/mask_names", {"names": texts})[0][0])


def _read_error(db: Database, f: InputFile, exc: QueryError) -> InputError:
    message = str(exc).split(" failed: ", 1)[-1]
    masked = _mask_texts(db, [message])[0]
    return InputError(f"cannot read {f.name} as {_FORMAT_NAMES[f.format]}: {masked}")


def _columns(db: Database, f: InputFile) -> list[str]:
    """The file's column names (JSON: every key of every object), reading as little as possible."""
    if f.size == 0:
        raise InputError(f"{f.name} is empty: expected a header row or records")
    try:
        if f.format == "csv":
            return [d[0] for d in db.run("ingest/columns_csv", {"path": str(f.path)}).description]
        if f.format == "parquet":
            return [d[0] for d in db.run("ingest/columns_parquet", {"path": str(f.path)}).description]
        rows = db.fetch("ingest/columns_json", {"path": str(f.path), "format": _JSON_LAYOUT[f.format]})
        return [r[0] for r in rows]
    except QueryError as exc:
        raise _read_error(db, f, exc) from None


def _read(db: Database, p: _Planned) -> dict[str, str]:
    """Create ``_ingest_raw``: the file's rows numbered in file order; return its columns' types.

    Parquet is a view over the file, its columns typed as in the file; CSV and
    JSON Lines are read into a temp table of text.
    """
    f = p.file
    try:
        if f.format == "csv":
            db.run("ingest/read_csv", {"path": str(f.path)})
            db.script("ingest/raw_csv")
        elif f.format == "parquet":
            db.run("ingest/source_path", {"path": str(f.path)})
            db.script("ingest/read_parquet")
        else:
            db.run("ingest/read_json", {"path": str(f.path), "format": _JSON_LAYOUT[f.format]})
            structure = json.dumps({c: "VARCHAR" for c in p.columns})
            db.run("ingest/read_json_fields", {"structure": structure})
            db.script("ingest/raw_read")
        found = db.fetch("ingest/raw_columns")
    except QueryError as exc:
        raise _read_error(db, f, exc) from None
    if [name for name, _ in found[3:]] != p.columns:
        raise InputError(f"{f.name} changed while it was being read; run the ingest again")
    return dict(found[3:])


def _load(db: Database, p: _Planned, step: Callable[[str, float], None]) -> FileResult:
    """Ingest one planned file: all of its rows, rejects and log entry, or nothing.

    Reading and checking only touch temp tables and views (connection-local,
    not part of the database file); the writes to the database happen in one
    transaction.
    """
    f = p.file
    name = Path(f.name).name
    log.info("ingesting %s into %s", f.name, f.table)
    db.script("ingest/drop_temp")
    try:
        step(f"{name}: reading", 0.0)
        types = _read(db, p)
        with _file_errors(db, f):
            db.execute(stage_sql(p.plan, p.shown, types), name="ingest/stage")
            db.script(f"ingest/{f.table}_checked")
            rows_read = int(db.fetch("ingest/file_rows")[0][0])
            step(f"{name}: checking rows", 0.3)
            db.script("ingest/repeated")
            db.script(f"ingest/{f.table}_stored")
            db.run("ingest/held", {"rows": rows_read})
            db.script("ingest/plain")
            step(f"{name}: storing", 0.7)
            with db.transaction():
                ingest_id = int(db.fetch("ingest/next_ingest_id")[0][0])
                counts = _store(db, f, ingest_id, rows_read)
                db.run("ingest/ingest_log", {
                    "ingest_id": ingest_id, "table": f.table, "source_file": f.name, "file_hash": p.digest,
                    "file_bytes": f.size,
                    **{k: counts[k] for k in ("rows_read", "rows_loaded", "rows_rejected", "rows_duplicate")},
                })
    finally:
        db.script("ingest/drop_temp")
    result = FileResult(
        f.name, f.table, f.format, p.digest, f.size, "loaded", ingest_id=ingest_id,
        rows_read=counts["rows_read"], rows_loaded=counts["rows_loaded"],
        rows_rejected=counts["rows_rejected"], rows_duplicate=counts["rows_duplicate"],
        rows_masked=counts["rows_masked"], rejected_by_reason=counts["reasons"],
        extra_columns=[p.shown[c] for c in p.plan.extras],
    )
    log.info("%s: %d read, %d loaded, %d rejected, %d duplicate", f.name, result.rows_read,
             result.rows_loaded, result.rows_rejected, result.rows_duplicate)
    return result


def _store(db: Database, f: InputFile, ingest_id: int, rows_read: int) -> dict[str, Any]:
    """Append the file's rows (inside the caller's transaction); return its counts.

    The plain rows go first, in one streaming pass; when they are not the
    whole file, the rest is kept aside, ranked for duplicates and split into
    loaded rows, rejects and skipped duplicates.
    """
    db.script("ingest/load_plain")
    loaded = int(db.run(f"ingest/{f.table}", {"source_file": f.name}).fetchone()[0])
    counts: dict[str, Any] = {"rows_read": rows_read, "rows_rejected": 0, "rows_duplicate": 0,
                              "rows_masked": 0, "reasons": {}}
    if loaded < rows_read:
        db.script("ingest/exceptions")
        db.script("ingest/dedupe")
        db.script("ingest/outcomes")
        db.script("ingest/load_exceptions")
        loaded += int(db.run(f"ingest/{f.table}", {"source_file": f.name}).fetchone()[0])
        db.run("ingest/rejects", {"table": f.table, "source_file": f.name, "ingest_id": ingest_id})
        counts.update({k: int(v) for k, v in db.fetch_dicts("ingest/file_counts")[0].items()})
        counts["reasons"] = {r: int(n) for r, n in db.fetch("ingest/reject_reasons")}
    counts["rows_loaded"] = loaded
    if loaded + counts["rows_rejected"] + counts["rows_duplicate"] != rows_read:
        raise InputError(f"{f.name} changed while it was being read; run the ingest again")
    return counts


@contextmanager
def _file_errors(db: Database, f: InputFile) -> Iterator[None]:
    """Errors while passing over the file: a read error names the file, any other has card-like numbers masked."""
    try:
        yield
    except QueryError as exc:
        if str(f.path) in str(exc):
            raise _read_error(db, f, exc) from None
        raise QueryError(exc.query, _mask_texts(db, [str(exc)])[0]) from None
