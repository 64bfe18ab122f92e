"""The ``graphlink`` command line: a thin typer layer over the Python API.

Each command lives in a small module of this package and calls one function
of the library.  Messages go to stderr, data (``--json``) to stdout; known
errors become one line and a non-zero exit, with a traceback only under
``--debug``.
"""

from __future__ import annotations

from ._app import app, export_app

# Importing a module registers its commands on ``app`` / ``export_app``.
from . import (  # noqa: F401,E402
    status,
    ingest,
    synth,
    templates,
    detect,
    evaluate,
    export,
    verdicts,
    report,
    demo,
)

__all__ = ["app", "export_app", "main"]


def main() -> None:
    """Console-script entry point."""
    app(prog_name="graphlink")
