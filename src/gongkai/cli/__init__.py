"""The ``gongkai`` command: a thin face over the core modules.

Each command group lives in its own module and registers itself on :data:`app`.
"""
from __future__ import annotations

from ._app import app

# Command modules register on import. Add a module here to add commands.
from . import _check  # noqa: E402,F401
from . import _parse  # noqa: E402,F401
from . import _law  # noqa: E402,F401
from . import _render  # noqa: E402,F401
from . import _serve  # noqa: E402,F401


def main() -> None:
    app()


__all__ = ["app", "main"]
