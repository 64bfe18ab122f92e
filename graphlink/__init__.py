"""graphlink: find coordinated account clusters distilling a model through its API.

The public Python API mirrors the CLI: open a :class:`~graphlink.db.Database`,
load a :class:`~graphlink.config.Config`, and call one stage at a time.
"""

__version__ = "0.1.0"
