"""The ingest stage: load files that follow the data contract into the canonical tables.

``ingest(db, config, paths)`` reads CSV, Parquet and JSON Lines files,
folders and globs, matches their columns to the contract's, checks every row
against the contract's rules in SQL, keeps rejected rows with file, row number
and reason in ``rejects``, skips rows and files already stored, and masks
card-like numbers wherever they appear.  See ``DATA_CONTRACT.md`` and the
README's "Loading data" section for the rules.
"""

from .columns import parse_mapping
from .contract import CONTRACT, TABLE_NAMES, TableSpec, table_from_name
from .core import FileResult, IngestResult, ProgressHook, ingest

__all__ = [
    "ingest",
    "IngestResult",
    "FileResult",
    "ProgressHook",
    "CONTRACT",
    "TABLE_NAMES",
    "TableSpec",
    "table_from_name",
    "parse_mapping",
]
