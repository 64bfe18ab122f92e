"""Deterministic writers for Parquet, CSV and JSON Lines, one table chunk at a time.

Same rows in, same bytes out: Parquet is written by pyarrow with fixed row
groups and settings, CSV by pyarrow's streaming writer, JSON Lines by one
DuckDB ``to_json`` query on a single thread whose output buffer is written
as is.  In CSV and JSON Lines timestamps are ISO 8601 UTC strings
(``2026-11-02T09:14:03Z``); in Parquet they are ``TIMESTAMP`` (UTC).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..db import Database

__all__ = ["FORMATS", "EXTENSIONS", "TableSink", "write_table"]

FORMATS = ("parquet", "csv", "jsonl")
EXTENSIONS = {"parquet": "parquet", "csv": "csv", "jsonl": "jsonl"}
ROW_GROUP = 131_072
_DICTIONARY = {
    "org_id", "email_domain", "country", "tier", "status", "method_type", "card_bin",
    "billing_country", "user_agent", "model", "device_fingerprint", "label", "campaign_id",
    "source", "group_kind", "group_id", "as_org", "ip_type", "scaffold",
}
"""Low-cardinality columns worth dictionary-encoding in Parquet (long text is not)."""


def _text_timestamps(table: pa.Table) -> pa.Table:
    """Timestamp columns as ``YYYY-MM-DDTHH:MM:SSZ`` strings (nulls stay null)."""
    for i, f in enumerate(table.schema):
        if pa.types.is_timestamp(f.type):
            text = pc.strftime(pc.cast(table.column(i), pa.timestamp("s")), format="%Y-%m-%dT%H:%M:%SZ")
            table = table.set_column(i, pa.field(f.name, pa.string()), text)
    return table


class TableSink:
    """Append table chunks of one schema to one file in one format.

    Parameters
    ----------
    path : the file to (over)write.
    fmt : ``parquet``, ``csv`` or ``jsonl``.
    schema : the schema of every chunk.
    json_db : a single-threaded in-memory :class:`Database` for JSON Lines
        (created when needed; pass one to share it between sinks).
    """

    def __init__(self, path: Path, fmt: str, schema: pa.Schema, json_db: Database | None = None):
        self.path = Path(path)
        self.fmt = fmt
        self.rows = 0
        self._own_db = False
        self._parquet: pq.ParquetWriter | None = None
        self._csv: pacsv.CSVWriter | None = None
        self._file: BinaryIO | None = None
        self._db = json_db
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "parquet":
            self._parquet = pq.ParquetWriter(
                self.path, schema, compression="zstd", write_statistics=True,
                use_dictionary=[f.name for f in schema if f.name in _DICTIONARY],
            )
        elif fmt == "csv":
            self._file = open(self.path, "wb")
            self._csv = pacsv.CSVWriter(self._file, _text_timestamps(schema.empty_table()).schema)
        elif fmt == "jsonl":
            self._file = open(self.path, "wb")
            if self._db is None:
                self._db = Database(":memory:", threads=1, create_schema=False)
                self._own_db = True
        else:
            raise ValueError(f"unknown format {fmt!r}")

    def write(self, table: pa.Table) -> None:
        """Append *table*'s rows in order."""
        self.rows += table.num_rows
        if self._parquet is not None:
            self._parquet.write_table(table, row_group_size=ROW_GROUP)
        elif self._csv is not None:
            self._csv.write_table(_text_timestamps(table))
        else:
            self._write_jsonl(_text_timestamps(table))

    def _write_jsonl(self, table: pa.Table) -> None:
        assert self._db is not None and self._file is not None
        if table.num_rows == 0:
            return
        self._db.register("synth_chunk", table)
        try:
            with warnings.catch_warnings():  # DuckDB notes the copy of an arrow result; it is needed
                warnings.simplefilter("ignore", UserWarning)
                lines = self._db.fetch_arrow("synth/jsonl_lines").column("line")
        finally:
            self._db.unregister("synth_chunk")
        text = pc.binary_join_element_wise(lines.combine_chunks(), pa.scalar("\n"), "")
        # The data buffer of a string array holds its values back to back: the file's bytes.
        offsets = np.frombuffer(text.buffers()[1], dtype=np.int32, count=len(text) + 1, offset=text.offset * 4)
        self._file.write(memoryview(text.buffers()[2])[int(offsets[0]):int(offsets[-1])])

    def close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
        if self._csv is not None:
            self._csv.close()
        if self._file is not None:
            self._file.close()
        if self._own_db and self._db is not None:
            self._db.close()

    def __enter__(self) -> "TableSink":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_table(path: Path, fmt: str, table: pa.Table, json_db: Database | None = None) -> int:
    """Write a whole table to *path*; returns its row count."""
    with TableSink(path, fmt, table.schema, json_db) as sink:
        sink.write(table)
    return table.num_rows
