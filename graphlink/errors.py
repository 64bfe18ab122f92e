"""The graphlink exception family.

Library code raises these; the CLI turns each into one clear line and a
non-zero exit (a traceback only under ``--debug``).  Anything else that
escapes is a bug in graphlink, not a user mistake.
"""

from __future__ import annotations

__all__ = [
    "GraphlinkError",
    "ConfigError",
    "InputError",
    "DatabaseError",
    "DatabaseInUseError",
    "QueryError",
    "NotFoundError",
]


class GraphlinkError(Exception):
    """Base class: a problem the user can act on, described in one line."""

    exit_code = 1


class ConfigError(GraphlinkError):
    """The configuration file or a flag has an unknown key or a bad value."""

    exit_code = 2


class InputError(GraphlinkError):
    """An input file cannot be read or lacks what the data contract requires."""

    exit_code = 2


class DatabaseError(GraphlinkError):
    """The database cannot be opened or used."""


class DatabaseInUseError(DatabaseError):
    """Another process holds the database file."""

    exit_code = 3


class QueryError(DatabaseError):
    """A named SQL query failed in the engine."""

    def __init__(self, query: str, message: str, sql: str | None = None):
        self.query = query
        self.sql = sql
        super().__init__(f"query {query!r} failed: {message}")


class NotFoundError(GraphlinkError):
    """A cluster, account, run, template or week that the user named does not exist."""
