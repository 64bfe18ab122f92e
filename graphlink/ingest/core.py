"""The ingest stage: files in, canonical tables + rejects + ingest log out.

Files are seen through views, never copied whole: ``_ingest_raw`` reads them
(Parquet with its own column types; CSV and JSON Lines, which need their
lines numbered and broken lines kept, through a temp table of text), the
stage view matches their columns to the contract's, and the view of
``queries/ingest/<table>_checked.sql`` types and checks every row.

Consecutive Parquet files of one table with the same columns and types (a
table exported as one file per day or week) are read together, as one
sequence of rows, so that their rows are appended by one statement: DuckDB
appends one large insert in full row groups, while one insert per file
leaves part-filled row groups that the next checkpoint rewrites (about a
third of the ingest's time, and twice the file size).  Any other file is
read alone.  DuckDB computes, in each pass over the files, only the columns
that pass reads:

1. the keys repeated in the files (``repeated``), the stored rows with a key
   the files hold (``<table>_stored``) and the rows with such keys
   (``held``): key columns only;
2. in one transaction, every *plain* row (no rule broken, nothing masked, a
   key neither repeated nor stored) streams into the table; the other rows,
   usually none, are then kept aside with all their values (``exceptions``),
   ranked for duplicates (``dedupe``) and stored, rejected or skipped; the
   rejects and one log entry per file follow.

On any error nothing of the files read together is stored.  Every row, reject
and log entry records its own file, and the outcome is the same as reading
the files one after the other.
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
from .columns import INTERNAL, ColumnPlan, normalise_mapping, plan_columns, stage_sql
from .sources import InputFile, file_hash, resolve_inputs

__all__ = ["ingest", "IngestResult", "FileResult", "ProgressHook"]

log = logging.getLogger(__name__)

ProgressHook = Callable[[str, int, int], None]
"""Called as ``hook(description, bytes_done, bytes_total)`` when a step starts, and about
twice a second while rows are stored (then from a helper thread)."""

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
    schema: tuple[tuple[str, str], ...] | None
    """Parquet: every column with its type; None for text formats, which are read alone."""


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
        loading leaves nothing behind, nor do the files read with it
        (consecutive Parquet files of one table with the same columns); files
        before them stay loaded.

    Notes
    -----
    Cost is a few passes of DuckDB over the files, no Python loop over rows:
    three over their key columns, one over all of them (once more when some
    rows break a rule, hold a card-like number or repeat a key).  Parquet is
    streamed, never copied whole, so memory stays flat as files grow and
    DuckDB's memory limit holds (its joins and aggregates spill).
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
        columns, schema = _columns(db, f)
        shown = _mask_texts(db, columns)
        plan = plan_columns(f.name, f.table, columns, merged, shown)
        results.append(FileResult(f.name, f.table, f.format, digest, f.size, "planned"))
        todo.append((len(results) - 1, _Planned(f, digest, plan, dict(zip(columns, shown)), columns, schema)))
    for group in _groups(todo):
        size = sum(p.file.size for _, p in group)
        loaded = _load(
            db, [p for _, p in group],
            lambda step, part, base=done, size=size: _report(progress, step, base + int(part * size), total),
        )
        for (index, _), result in zip(group, loaded):
            results[index] = result
        done += size
        _report(progress, f"{_label([p for _, p in group])}: done", done, total)
    unknown = int(db.fetch("ingest/unknown_accounts")[0][0])
    return IngestResult(results, unknown, strict=bool(strict or config.ingest.strict), notes=notes)


def _groups(todo: list[tuple[int, _Planned]]) -> Iterator[list[tuple[int, _Planned]]]:
    """*todo* in order, cut into the runs of files read together: consecutive Parquet files of one table with the same schema."""
    group: list[tuple[int, _Planned]] = []
    for item in todo:
        p = item[1]
        if group and not (p.schema is not None and p.schema == group[-1][1].schema
                          and p.file.table == group[-1][1].file.table):
            yield group
            group = []
        group.append(item)
    if group:
        yield group


def _label(group: list[_Planned]) -> str:
    """How progress names files read together."""
    first = Path(group[0].file.name).name
    return first if len(group) == 1 else f"{first} and {len(group) - 1} more"


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


def _columns(db: Database, f: InputFile) -> tuple[list[str], tuple[tuple[str, str], ...] | None]:
    """The file's column names (JSON: every key of every object), reading as little as possible.

    Parquet also gives its schema (every column with its type), which tells
    which files can be read together.
    """
    if f.size == 0:
        raise InputError(f"{f.name} is empty: expected a header row or records")
    try:
        if f.format == "csv":
            return [d[0] for d in db.run("ingest/columns_csv", {"path": str(f.path)}).description], None
        if f.format == "parquet":
            schema = tuple((str(name), str(kind)) for name, kind in
                           db.fetch("ingest/columns_parquet", {"path": str(f.path)}))
            return [name for name, _ in schema], schema
        rows = db.fetch("ingest/columns_json", {"path": str(f.path), "format": _JSON_LAYOUT[f.format]})
        return [r[0] for r in rows], None
    except QueryError as exc:
        raise _read_error(db, f, exc) from None


def _read(db: Database, group: list[_Planned]) -> dict[str, str]:
    """Create ``_ingest_raw``: the files' rows numbered in order; return their columns' types.

    Parquet is a view over the files, their columns typed as in the files;
    CSV and JSON Lines (always one file) are read into a temp table of text.
    """
    f = group[0].file
    paths = [str(p.file.path) for p in group]
    names = [p.file.name for p in group]
    try:
        if f.format == "parquet":
            rows = dict(db.fetch("ingest/parquet_rows", {"paths": paths}))
            for p in group:
                if str(p.file.path) not in rows:   # DuckDB read the name as a pattern matching other files
                    raise InputError(f"cannot read {p.file.name} as Parquet: its name is read as a file "
                                     "pattern ([, ], * or ?); rename the file")
            offsets = [0]
            for path in paths[:-1]:
                offsets.append(offsets[-1] + int(rows[path]))
            db.run("ingest/source_files", {"paths": paths, "names": names, "offsets": offsets})
            db.script("ingest/read_parquet")
        else:
            db.run("ingest/source_files", {"paths": paths, "names": names, "offsets": [0]})
            if f.format == "csv":
                db.run("ingest/read_csv", {"path": str(f.path)})
                db.script("ingest/raw_csv")
            else:
                db.run("ingest/read_json", {"path": str(f.path), "format": _JSON_LAYOUT[f.format]})
                structure = json.dumps({c: "VARCHAR" for c in group[0].columns})
                db.run("ingest/read_json_fields", {"structure": structure})
                db.script("ingest/raw_read")
        found = [(name, kind) for name, kind in db.fetch("ingest/raw_columns") if name not in INTERNAL]
    except QueryError as exc:
        raise _group_error(db, group, exc) from None
    if [name for name, _ in found] != group[0].columns:
        raise InputError(f"{_names(group)} changed while it was being read; run the ingest again")
    return dict(found)


def _names(group: list[_Planned]) -> str:
    return " / ".join(p.file.name for p in group)


def _load(db: Database, group: list[_Planned], step: Callable[[str, float], None]) -> list[FileResult]:
    """Ingest files read together: all of their rows, rejects and log entries, or nothing.

    Reading and checking only touch temp tables and views (connection-local,
    not part of the database file); the writes to the database happen in one
    transaction.
    """
    p, table = group[0], group[0].file.table
    label = _label(group)
    log.info("ingesting %s into %s", _names(group), table)
    db.script("ingest/drop_temp")
    try:
        step(f"{label}: reading", 0.0)
        types = _read(db, group)
        with _file_errors(db, group):
            db.execute(stage_sql(p.plan, p.shown, types), name="ingest/stage")
            db.script(f"ingest/{table}_checked")
            per_file = dict(db.fetch("ingest/file_rows"))
            rows_read = [int(per_file.get(i, 0)) for i in range(len(group))]
            step(f"{label}: checking rows", 0.3)
            db.script("ingest/repeated")
            db.script(f"ingest/{table}_stored")
            db.run("ingest/held", {"rows": sum(rows_read)})
            db.script("ingest/plain")
            step(f"{label}: storing", 0.7)
            with db.transaction():
                first_id = int(db.fetch("ingest/next_ingest_id")[0][0])
                ids = list(range(first_id, first_id + len(group)))
                counts = _store(db, group, ids, rows_read,
                                lambda part: step(f"{label}: storing", 0.7 + 0.3 * part))
                for q, ingest_id, c in zip(group, ids, counts):
                    db.run("ingest/ingest_log", {
                        "ingest_id": ingest_id, "table": table, "source_file": q.file.name,
                        "file_hash": q.digest, "file_bytes": q.file.size,
                        **{k: c[k] for k in ("rows_read", "rows_loaded", "rows_rejected", "rows_duplicate")},
                    })
    finally:
        db.script("ingest/drop_temp")
    results = []
    for q, ingest_id, c in zip(group, ids, counts):
        f = q.file
        result = FileResult(
            f.name, f.table, f.format, q.digest, f.size, "loaded", ingest_id=ingest_id,
            rows_read=c["rows_read"], rows_loaded=c["rows_loaded"],
            rows_rejected=c["rows_rejected"], rows_duplicate=c["rows_duplicate"],
            rows_masked=c["rows_masked"], rejected_by_reason=c["reasons"],
            extra_columns=[q.shown[col] for col in q.plan.extras],
        )
        log.info("%s: %d read, %d loaded, %d rejected, %d duplicate", f.name, result.rows_read,
                 result.rows_loaded, result.rows_rejected, result.rows_duplicate)
        results.append(result)
    return results


def _store(db: Database, group: list[_Planned], ids: list[int], rows_read: list[int],
           storing: Callable[[float], None]) -> list[dict[str, Any]]:
    """Append the files' rows (inside the caller's transaction); return each file's counts.

    The plain rows go first, in one streaming pass (*storing* is told how far
    it has got, 0 to 1); when they are not all the rows, the rest is kept
    aside, ranked for duplicates and split into loaded rows, rejects and
    skipped duplicates.
    """
    table = group[0].file.table
    db.script("ingest/load_plain")
    with db.progress(storing):
        loaded = int(db.run(f"ingest/{table}").fetchone()[0])
    counts: list[dict[str, Any]] = [
        {"rows_read": n, "rows_rejected": 0, "rows_duplicate": 0, "rows_masked": 0, "reasons": {}}
        for n in rows_read
    ]
    if loaded < sum(rows_read):
        db.script("ingest/exceptions")
        db.script("ingest/dedupe")
        db.script("ingest/outcomes")
        db.script("ingest/load_exceptions")
        loaded += int(db.run(f"ingest/{table}").fetchone()[0])
        db.run("ingest/rejects", {"table": table, "ingest_ids": ids})
        for row in db.fetch_dicts("ingest/file_counts"):
            counts[int(row.pop("file"))].update({k: int(v) for k, v in row.items()})
        for i, reason, n in db.fetch("ingest/reject_reasons"):
            counts[int(i)]["reasons"][reason] = int(n)
    for c in counts:
        c["rows_loaded"] = c["rows_read"] - c["rows_rejected"] - c["rows_duplicate"]
    if loaded != sum(c["rows_loaded"] for c in counts):
        raise InputError(f"{_names(group)} changed while it was being read; run the ingest again")
    return counts


def _group_error(db: Database, group: list[_Planned], exc: QueryError) -> InputError:
    """A read error, naming the file it is about (the first file when it names none)."""
    named = [p.file for p in group if str(p.file.path) in str(exc)]
    return _read_error(db, (named or [group[0].file])[0], exc)


@contextmanager
def _file_errors(db: Database, group: list[_Planned]) -> Iterator[None]:
    """Errors while passing over the files: a read error names its file, any other has card-like numbers masked."""
    try:
        yield
    except QueryError as exc:
        if any(str(p.file.path) in str(exc) for p in group):
            raise _group_error(db, group, exc) from None
        raise QueryError(exc.query, _mask_texts(db, [str(exc)])[0]) from None
