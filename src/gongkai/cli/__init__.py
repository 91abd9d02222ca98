"""The ``gongkai`` command: a thin face over the core modules.

Each command group lives in its own module and registers itself on :data:`app`.
"""
from __future__ import annotations

# Command modules register on import. Add a module here to add commands.
from . import (
    _check,  # noqa: F401
    _law,  # noqa: F401
    _parse,  # noqa: F401
    _render,  # noqa: F401
    _serve,  # noqa: F401
)
from ._app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
