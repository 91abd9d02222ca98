"""The ``gongkai`` command: a thin face over the core modules.

Each command group lives in its own module and registers itself on :data:`app`; the modules are imported
when their command runs (``_app.COMMANDS`` says which module defines which command), so that starting
``gongkai`` costs only typer. A module listed here instead is imported eagerly and works the same.
"""
from __future__ import annotations

from ._app import COMMANDS, app


def main() -> None:
    app()


__all__ = ["COMMANDS", "app", "main"]
