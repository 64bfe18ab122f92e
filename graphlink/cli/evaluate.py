"""Commands of this module are registered on the app when it is imported."""

from ._app import app, export_app  # noqa: F401
