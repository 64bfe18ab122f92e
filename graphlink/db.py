"""The one module that talks to DuckDB.

Every stage goes through :class:`Database`: it opens the file, creates the
schema from ``queries/schema``, runs named SQL files from ``queries/`` with
bound parameters, wraps write steps in transactions, and turns engine errors
into :class:`~graphlink.errors.QueryError` naming the query.  Keeping the
engine behind this one interface is what lets a second engine be added later
without touching the stages.

SQL files
---------
``queries/<stage>/<table>.sql`` holds one statement that produces the table it
is named after.  Its header comment says what it does, its inputs and its
parameters::

    -- graph/edges: account <-> identifier edges in the time window.
    -- inputs: requests, accounts
    -- params: $since, $until

Parameters are DuckDB named parameters (``$name``), always bound, never
formatted into the text.  ``tests/test_queries.py`` checks that every file
declares exactly the parameters it uses.  Schema files (``queries/schema``)
take no parameters and may hold several statements.
"""

from __future__ import annotations

import logging
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

import duckdb

from .config import Config, DatabaseConfig
from .errors import DatabaseError, DatabaseInUseError, QueryError

__all__ = ["Database", "queries_dir", "load_query", "Query", "open_database"]

log = logging.getLogger(__name__)

_PARAM_RE = re.compile(r"(?<![\w$])\$([A-Za-z_][A-Za-z0-9_]*)")
_LEXEMES_RE = re.compile(r"'(?:[^']|'')*'|--[^\n]*")
_HEADER_PARAMS_RE = re.compile(r"^--\s*params:\s*(.*)$", re.MULTILINE)


@lru_cache(maxsize=1)
def queries_dir() -> Path:
    """Where the SQL lives: inside the installed package, or at the source tree's top level."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "queries", here.parent / "queries"):
        if (candidate / "schema").is_dir():
            return candidate
    raise DatabaseError(
        f"cannot find graphlink's SQL files (looked in {here / 'queries'} and "
        f"{here.parent / 'queries'}); the installation is incomplete"
    )


@dataclass(frozen=True)
class Query:
    name: str
    sql: str
    declared: frozenset[str]
    used: frozenset[str]


def _strip_comments(sql: str) -> str:
    """Remove ``--`` comments and string literals so ``$`` inside them is not a parameter."""
    # One pass, so whichever starts first wins: an apostrophe inside a comment
    # does not open a string, and "--" inside a string does not open a comment.
    return _LEXEMES_RE.sub(lambda m: "''" if m.group(0).startswith("'") else "", sql)


@lru_cache(maxsize=None)
def load_query(name: str) -> Query:
    """Read ``queries/<name>.sql`` and parse its declared and used parameters."""
    path = queries_dir() / f"{name}.sql"
    if not path.is_file():
        raise DatabaseError(f"no query named {name!r} (expected {path})")
    sql = path.read_text(encoding="utf-8")
    declared: set[str] = set()
    m = _HEADER_PARAMS_RE.search(sql)
    if m and m.group(1).strip().lower() not in {"", "none"}:
        declared = {p.strip().lstrip("$") for p in m.group(1).split(",") if p.strip()}
    used = set(_PARAM_RE.findall(_strip_comments(sql)))
    return Query(name, sql, frozenset(declared), frozenset(used))


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text


class Database:
    """A graphlink database: one DuckDB file (or ``:memory:``).

    Parameters
    ----------
    path : the DuckDB file; created when missing (unless *read_only*).
    read_only : open without write access; several readers may share a file.
    threads, memory_limit, temp_directory : passed to DuckDB.

    Examples
    --------
    >>> with Database(":memory:") as db:
    ...     db.fetchone("SELECT 1 + 1")
    (2,)
    """

    def __init__(
        self,
        path: str | Path = "graphlink.duckdb",
        *,
        read_only: bool = False,
        threads: int | None = None,
        memory_limit: str | None = None,
        temp_directory: str | None = None,
        create_schema: bool = True,
    ):
        self.path = str(path)
        self.read_only = read_only
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise DatabaseError(
                f"database {self.path} does not exist; run 'graphlink ingest' first"
            )
        if self.path != ":memory:":
            parent = Path(self.path).parent
            if not read_only and not parent.exists():
                raise DatabaseError(f"cannot create database {self.path}: folder {parent} does not exist")
        config: dict[str, Any] = {}
        if threads:
            config["threads"] = int(threads)
        if memory_limit:
            config["memory_limit"] = str(memory_limit)
        if temp_directory:
            config["temp_directory"] = str(temp_directory)
        try:
            self.con = duckdb.connect(self.path, read_only=read_only, config=config)
        except duckdb.IOException as exc:
            if _is_lock_error(exc):
                raise DatabaseInUseError(
                    f"database {self.path} is in use by another graphlink process; "
                    "wait for it to finish or use another --db"
                ) from None
            raise DatabaseError(f"cannot open database {self.path}: {exc}") from None
        except duckdb.Error as exc:
            raise DatabaseError(f"cannot open database {self.path}: {exc}") from None
        # DuckDB tracks each statement's progress (Database.progress reads it)
        # but never draws its own bar: it would print to stdout, into --json.
        self.con.execute("SET enable_progress_bar = true; SET enable_progress_bar_print = false")
        self._in_transaction = False
        if create_schema and not read_only:
            self.ensure_schema()

    @classmethod
    def from_config(cls, config: Config | DatabaseConfig, *, read_only: bool = False) -> "Database":
        dbc = config.database if isinstance(config, Config) else config
        return cls(
            dbc.path,
            read_only=read_only,
            threads=dbc.threads,
            memory_limit=dbc.memory_limit,
            temp_directory=dbc.temp_directory,
        )

    # -- lifecycle -------------------------------------------------------

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ensure_schema(self) -> None:
        """Create every table of ``queries/schema`` that does not exist yet (idempotent)."""
        for path in sorted((queries_dir() / "schema").glob("*.sql")):
            self.script(f"schema/{path.stem}")

    # -- running SQL -----------------------------------------------------

    def _wrap(self, name: str, sql: str, exc: Exception) -> QueryError:
        return QueryError(name, str(exc).splitlines()[0] if str(exc) else type(exc).__name__, sql)

    def script(self, name: str) -> None:
        """Run a parameter-free, possibly multi-statement SQL file."""
        q = load_query(name)
        if q.used:
            raise DatabaseError(f"query {name!r} takes parameters; use Database.run")
        try:
            self.con.execute(q.sql)
        except duckdb.Error as exc:
            raise self._wrap(name, q.sql, exc) from exc

    def _params(self, q: Query, params: Mapping[str, Any] | None) -> dict[str, Any]:
        params = dict(params or {})
        missing = q.used - params.keys()
        if missing:
            raise DatabaseError(f"query {q.name!r} needs parameter(s) {', '.join(sorted(missing))}")
        # DuckDB rejects bound values the statement does not use; keep only those it does.
        return {k: v for k, v in params.items() if k in q.used}

    def run(self, name: str, params: Mapping[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
        """Execute the named query with bound parameters and return the cursor."""
        q = load_query(name)
        bound = self._params(q, params)
        try:
            return self.con.execute(q.sql, bound) if bound else self.con.execute(q.sql)
        except duckdb.Error as exc:
            raise self._wrap(name, q.sql, exc) from exc

    def fetch(self, name: str, params: Mapping[str, Any] | None = None) -> list[tuple]:
        """Rows of the named query."""
        return self.run(name, params).fetchall()

    def fetch_dicts(self, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows of the named query as dicts keyed by column name."""
        cur = self.run(name, params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]

    def fetch_arrow(self, name: str, params: Mapping[str, Any] | None = None):
        """The named query's result as a pyarrow Table (bulk hand-off, no Python loop)."""
        q = load_query(name)
        bound = self._params(q, params)
        try:
            # A relation hands Arrow over without the extra copy of a DB-API result.
            rel = self.con.sql(q.sql, params=bound) if bound else self.con.sql(q.sql)
            return rel.to_arrow_table()
        except duckdb.Error as exc:
            raise self._wrap(name, q.sql, exc) from exc

    def fetch_numpy(self, name: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The named query's result as a dict of numpy arrays."""
        cur = self.run(name, params)
        try:
            return cur.fetchnumpy()
        except duckdb.Error as exc:
            raise self._wrap(name, load_query(name).sql, exc) from exc

    def execute(self, sql: str, params: Mapping[str, Any] | list | None = None, *, name: str = "inline"):
        """Run literal SQL (for small structural statements; data queries belong in ``queries/``)."""
        try:
            return self.con.execute(sql, params) if params else self.con.execute(sql)
        except duckdb.Error as exc:
            raise self._wrap(name, sql, exc) from exc

    def fetchone(self, sql: str, params: Mapping[str, Any] | list | None = None) -> tuple | None:
        """The first row of literal SQL, or None; the result is read to the end, so the
        connection is free for the next statement."""
        rows = self.execute(sql, params).fetchall()
        return rows[0] if rows else None

    def register(self, view_name: str, data: Any) -> None:
        """Expose a pyarrow table / numpy dict / DataFrame to SQL under *view_name*."""
        self.con.register(view_name, data)

    def unregister(self, view_name: str) -> None:
        self.con.unregister(view_name)

    @contextmanager
    def progress(self, report: Callable[[float], None], *, every: float = 0.5) -> Iterator[None]:
        """Call *report* with the running statement's progress (0 to 1) every *every* seconds inside the block.

        For one long statement (a file's rows streaming into a table): DuckDB
        estimates how much of it is done, and a thread reads the estimate
        while the statement runs.  *report* is called from that thread, only
        with a value above the last one; if it raises, reporting stops.
        """
        stop = threading.Event()

        def poll() -> None:
            last = 0.0
            while not stop.wait(every):
                try:
                    done = min(self.con.query_progress(), 100.0) / 100.0
                except duckdb.Error:
                    continue
                if done > last:
                    last = done
                    try:
                        report(done)
                    except Exception:
                        log.warning("progress report failed; no more progress for this statement", exc_info=True)
                        return

        watcher = threading.Thread(target=poll, name="graphlink-progress", daemon=True)
        watcher.start()
        try:
            yield
        finally:
            stop.set()
            watcher.join()

    @contextmanager
    def transaction(self) -> Iterator["Database"]:
        """Everything inside commits together or not at all (nesting joins the outer one)."""
        if self._in_transaction:
            yield self
            return
        self.con.execute("BEGIN TRANSACTION")
        self._in_transaction = True
        try:
            yield self
        except BaseException:
            self._in_transaction = False
            try:
                self.con.execute("ROLLBACK")
            except duckdb.Error:
                pass
            raise
        else:
            self._in_transaction = False
            try:
                self.con.execute("COMMIT")
            except duckdb.Error as exc:
                raise self._wrap("commit", "COMMIT", exc) from exc

    # -- introspection ---------------------------------------------------

    def table_exists(self, table: str, *, temp: bool = False) -> bool:
        """Whether *table* exists: a stored table, or with ``temp`` one of the connection's temporary ones."""
        row = self.fetchone(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_name = $t AND table_schema = 'main' AND (table_catalog = 'temp') = $temp",
            {"t": table, "temp": temp},
        )
        return bool(row and row[0])

    def count(self, table: str) -> int:
        row = self.fetchone(f'SELECT count(*) FROM "{_identifier(table)}"')
        return int(row[0]) if row else 0

    def drop_tables(self, *tables: str, temp: bool = False) -> None:
        """Drop work tables if they exist (``temp``: the connection's temporary ones)."""
        schema = "temp.main." if temp else ""
        for table in tables:
            self.execute(f'DROP TABLE IF EXISTS {schema}"{_identifier(table)}"', name="drop_tables")


def _identifier(name: str) -> str:
    """*name* when it is a plain SQL identifier (table names cannot be bound as parameters)."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise DatabaseError(f"not a table name: {name!r}")
    return name


def open_database(config: Config, *, read_only: bool = False) -> Database:
    """Open the database the config names."""
    return Database.from_config(config, read_only=read_only)
