"""Which files an ingest reads: paths, folders and globs to (file, table, format).

A folder is read recursively and a glob is expanded (with ``**``); files
there of other formats, or whose names say no table, are left out with a
note (hidden files silently).  The table of
a file is ``--table`` when given, else the first of the file's name and the
names of its folders (up to the folder the user named) that starts with a
contract table's name.
"""

from __future__ import annotations

import glob
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..errors import InputError
from .contract import CONTRACT, TABLE_NAMES, table_from_name

__all__ = ["InputFile", "FORMATS", "resolve_inputs", "file_format", "file_hash"]

# suffix -> (format, JSON layout for read_json_objects)
FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".csv.gz": "csv",
    ".parquet": "parquet",
    ".jsonl": "jsonl",
    ".jsonl.gz": "jsonl",
    ".ndjson": "jsonl",
    ".ndjson.gz": "jsonl",
    ".json": "json",
    ".json.gz": "json",
}


@dataclass(frozen=True)
class InputFile:
    """One file to ingest."""

    path: Path
    table: str
    format: str
    """``csv``, ``parquet``, ``jsonl`` (one object per line) or ``json`` (lines or an array)."""
    size: int
    shown: str | None = None
    """The path as stored and shown: card-like numbers in it masked."""

    @property
    def name(self) -> str:
        return self.shown if self.shown is not None else str(self.path)


def file_format(path: Path) -> tuple[str, str] | None:
    """``(format, stem)`` of a file from its suffixes, or ``None`` for a format graphlink does not read."""
    name = path.name.lower()
    for suffix in sorted(FORMATS, key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix):
            return FORMATS[suffix], path.name[: -len(suffix)]
    return None


def file_hash(path: Path, chunk: int = 1 << 20) -> str:
    """SHA-256 of the file's bytes, read in chunks."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while block := fh.read(chunk):
                digest.update(block)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    return digest.hexdigest()


def _table_for(path: Path, stem: str, root: Path | None, table: str | None) -> str | None:
    if table is not None:
        return table
    found = table_from_name(stem)
    stop = root if root is not None else path.parent
    if found is None:
        for parent in path.parents:
            found = table_from_name(parent.name)
            if found is not None or parent == stop:
                break
    return found


def _walk(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not _hidden(p.relative_to(folder)))


def _folder(path: Path, table: str | None, notes: list[str]) -> list[Path]:
    """The files of a folder argument.

    A folder named after a table (``requests/``), or read with ``--table``, is
    one dataset: every file below it.  Any other folder contributes its own
    files and its sub-folders named after a table; other sub-folders (such as
    a world's ``truth/``) are left out with a note, so ground truth or stray
    exports kept beside the data never load by accident.
    """
    if table is not None or table_from_name(path.name) is not None:
        return _walk(path)
    files: list[Path] = []
    for child in sorted(path.iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            if table_from_name(child.name) is not None:
                files.extend(_walk(child))
            else:
                notes.append(
                    f"{child}{os.sep}: left out, a sub-folder is read only when named after a table "
                    f"({', '.join(TABLE_NAMES)}); name it as an argument to load it"
                )
        elif child.is_file():
            files.append(child)
    return files


def _expand(arg: str, table: str | None, notes: list[str]) -> tuple[list[Path], Path | None]:
    """The files one argument names, and the folder they were found under (if any)."""
    path = Path(arg)
    if path.is_dir():
        return _folder(path, table, notes), path
    if path.exists() or not glob.has_magic(arg):
        if not path.exists():
            raise InputError(f"{arg}: no such file or folder")
        return [path], None
    matches = sorted(Path(p) for p in glob.glob(arg, recursive=True))
    files = [p for p in matches if p.is_file()]
    if not files:
        raise InputError(f"{arg}: no file matches this pattern")
    return files, None


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def resolve_inputs(paths: Iterable[str | os.PathLike], table: str | None = None) -> tuple[list[InputFile], list[str]]:
    """Expand *paths* into the files to ingest, in order, each once.

    Returns the files and notes about files passed over (other formats inside
    a folder).  Raises :class:`InputError` for a path that does not exist, a
    file of an unknown format named directly, or a file whose table cannot
    be told.
    """
    if table is not None and table not in CONTRACT:
        raise InputError(f"unknown table {table!r}; the data contract has {', '.join(TABLE_NAMES)}")
    args = [str(p) for p in paths]
    if not args:
        raise InputError("no input files given")
    out: list[InputFile] = []
    notes: list[str] = []
    seen: set[Path] = set()
    for arg in args:
        files, root = _expand(arg, table, notes)
        for path in files:
            fmt = file_format(path)
            if fmt is None:
                if root is None and not glob.has_magic(arg):
                    raise InputError(
                        f"{path}: not a format graphlink reads "
                        f"(expected one of {', '.join(sorted(FORMATS))})"
                    )
                notes.append(f"{path}: not CSV, Parquet or JSON Lines; left out")
                continue
            key = path.resolve()
            if key in seen:
                continue
            seen.add(key)
            try:
                size = path.stat().st_size
            except OSError as exc:
                raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
            found = _table_for(path, fmt[1], root, table)
            if found is None:
                hint = f"name it (or its folder) after one of {', '.join(TABLE_NAMES)} or pass --table"
                if root is None and not glob.has_magic(arg):
                    raise InputError(f"{path}: cannot tell which table this file holds from its name; {hint}")
                notes.append(f"{path}: left out, its name says no table ({hint})")
                continue
            out.append(InputFile(path, found, fmt[0], size))
    if not out:
        raise InputError(f"no CSV, Parquet or JSON Lines files in {', '.join(args)}")
    return out, notes
