"""From a file's columns to the contract's: loosely matched names, ``--map``, extras.

The one piece of SQL built here is structural: the view ``_ingest_stage``
that renames the file's columns to the contract's, adds the optional columns
the file lacks as NULL, and packs unknown columns into one JSON text column.
It holds identifiers, type names and the names of the ingest macros only
(each identifier quoted by :func:`quote_ident`), never a value; every value is
handled by the SQL files of ``queries/ingest``.

Every contract column arrives as text.  A timestamp or integer column the file
already holds with a matching type (Parquet) arrives as well, typed, in
``_v_<column>``, its text then NULL: such values need no parsing, and the
text is made only for the few that the checks must see as text (values out
of range, integers long enough to be card numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

from ..errors import ConfigError, InputError
from .contract import CONTRACT, known_columns

__all__ = ["ColumnPlan", "plan_columns", "normalise_mapping", "parse_mapping", "stage_sql", "quote_ident", "INTERNAL"]

INTERNAL = ("_gl_row", "_gl_file", "_gl_error", "_gl_text")
"""Columns every raw view carries besides the file's own: row number, structural error, raw line."""

# contract type -> (file types read as they are, SQL type, macro of queries/ingest/macros.sql
# saying whether a value is stored as it is)
_NATIVE: dict[str, tuple[frozenset[str], str, str]] = {
    # TIMESTAMP_NS, DATE and TIMESTAMP WITH TIME ZONE go the text way, whose
    # rounding and raw text they keep
    "timestamp": (frozenset({"TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS"}), "TIMESTAMP", "native_ts_ok"),
    "integer": (frozenset({"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER"}),
                "BIGINT", "native_int_ok"),
}


@dataclass(frozen=True)
class ColumnPlan:
    """How one file's columns become the contract table's."""

    table: str
    renames: dict[str, str]
    """File column -> contract column."""
    missing: tuple[str, ...]
    """Optional contract columns the file does not have (NULL)."""
    extras: tuple[str, ...]
    """File columns the contract does not know (kept in ``extra``)."""
    found: tuple[str, ...] = field(default=())


def column_key(name: str) -> str:
    """How a column name is matched: case-insensitive, spaces and hyphens as underscores.

    >>> column_key(" Request-ID ")
    'request_id'
    """
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def normalise_mapping(mapping: Mapping[str, str] | None) -> dict[str, str]:
    """Lower-case a ``source -> contract column`` mapping and check its targets exist."""
    out: dict[str, str] = {}
    known = known_columns()
    for src, dst in (mapping or {}).items():
        s, d = column_key(str(src)), column_key(str(dst))
        if not s or not d:
            raise ConfigError(f"column mapping {src!r}={dst!r}: both sides must be column names")
        if d not in known:
            raise ConfigError(
                f"column mapping {src}={dst}: {dst!r} is not a column of the data contract "
                f"(known: {', '.join(sorted(known))})"
            )
        out[s] = d
    return out


def plan_columns(file: str, table: str, columns: list[str], mapping: Mapping[str, str], shown: list[str]) -> ColumnPlan:
    """Match a file's *columns* to *table*'s contract columns.

    Parameters
    ----------
    file : the file's name, for messages.
    columns : the file's column names, as read.
    mapping : normalised ``source -> contract`` column mapping.
    shown : the same names with card-like numbers masked, for messages and ``extra``.

    Raises
    ------
    InputError
        When required columns are missing (naming them and the columns found),
        or two file columns would become the same contract column.
    """
    spec = CONTRACT[table]
    wanted = set(spec.columns)
    renames: dict[str, str] = {}
    by_target: dict[str, str] = {}
    extras: list[str] = []
    for col, show in zip(columns, shown):
        if col in INTERNAL:
            raise InputError(f"{file}: column name {show!r} is reserved by graphlink; rename or --map it")
        key = column_key(col)
        target = mapping.get(key, key)
        if target in wanted:
            if target in by_target:
                raise InputError(
                    f"{file}: columns {by_target[target]!r} and {show!r} both give column {target}; "
                    f"drop one or --map it to another name"
                )
            by_target[target] = show
            renames[col] = target
        else:
            extras.append(col)
    seen_extra: dict[str, str] = {}
    for col, show in zip(columns, shown):
        if col in extras:
            low = show.lower()
            if low in seen_extra:
                raise InputError(f"{file}: columns {seen_extra[low]!r} and {show!r} differ only in case")
            seen_extra[low] = show
    missing_required = [c for c in spec.required if c not in by_target]
    if missing_required:
        found = ", ".join(shown) if shown else "(none)"
        raise InputError(
            f"{file}: missing required column(s) {', '.join(missing_required)} for table {table}; "
            f"columns found: {found}"
            + ("; map yours with --map SOURCE=COLUMN" if shown else "")
        )
    missing = tuple(c for c in spec.optional if c not in by_target)
    return ColumnPlan(table, renames, missing, tuple(extras), tuple(shown))


def quote_ident(name: str) -> str:
    """A SQL identifier for *name*, double-quoted."""
    return '"' + name.replace('"', '""') + '"'


def _text(column: str, sql_type: str) -> str:
    """*column* as text: as it is when it is text, else cast (as every value was when all were read as text)."""
    return quote_ident(column) if sql_type == "VARCHAR" else f"{quote_ident(column)}::VARCHAR"


def _stage_columns(target: str, kind: str | None, source: str | None, sql_type: str) -> list[str]:
    """The stage view's columns for contract column *target* read from file column *source* (None: absent)."""
    out = quote_ident(target)
    if kind is None:
        return [f"{_text(source, sql_type)} AS {out}" if source is not None else f"NULL::VARCHAR AS {out}"]
    native_types, typed, ok = _NATIVE[kind]
    value = quote_ident(f"_v_{target}")
    if source is None:
        return [f"NULL::VARCHAR AS {out}", f"NULL::{typed} AS {value}"]
    if sql_type not in native_types:
        return [f"{_text(source, sql_type)} AS {out}", f"NULL::{typed} AS {value}"]
    cast = f"{quote_ident(source)}::{typed}"
    return [f"CASE WHEN {ok}({cast}) THEN NULL ELSE {_text(source, sql_type)} END AS {out}",
            f"CASE WHEN {ok}({cast}) THEN {cast} END AS {value}"]


def stage_sql(plan: ColumnPlan, shown: Mapping[str, str], types: Mapping[str, str] | None = None) -> str:
    """``CREATE TEMP VIEW _ingest_stage`` over ``_ingest_raw`` for *plan*.

    *shown* maps each extra column to the name it is kept under in ``extra``
    (its own name with card-like numbers masked); *types* maps file columns to
    their DuckDB types (default: all text).
    """
    types = types or {}
    spec = CONTRACT[plan.table]
    source = {dst: src for src, dst in plan.renames.items()}
    cols = [quote_ident(c) for c in INTERNAL]
    for column in spec.columns:
        src = source.get(column)
        cols += _stage_columns(column, spec.types.get(column), src, types.get(src, "VARCHAR") if src else "VARCHAR")
    if plan.extras:
        packed = ", ".join(f"{quote_ident(shown[c])} := {_text(c, types.get(c, 'VARCHAR'))}" for c in plan.extras)
        cols.append(f"to_json(struct_pack({packed}))::VARCHAR AS _gl_extra")
    else:
        cols.append("NULL::VARCHAR AS _gl_extra")
    return "CREATE OR REPLACE TEMP VIEW _ingest_stage AS\nSELECT " + ",\n       ".join(cols) + "\nFROM _ingest_raw"


def parse_mapping(items: list[str] | tuple[str, ...] | None) -> dict[str, str]:
    """``["client_ip=ip", ...]`` (the ``--map`` flags) as a dict; raises ConfigError on a malformed item."""
    out: dict[str, str] = {}
    for item in items or ():
        src, sep, dst = item.partition("=")
        if not sep or not src.strip() or not dst.strip():
            raise ConfigError(f"--map {item!r}: expected SOURCE=COLUMN, e.g. --map client_ip=ip")
        out[src.strip()] = dst.strip()
    return out
