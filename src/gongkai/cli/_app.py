"""The typer application and the one place where errors become exit codes."""
from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console

from ..errors import GongkaiError

app = typer.Typer(
    name="gongkai",
    help="gongkai（公开）：政府信息公开工作年度报告的读取、检查、计算、撰写与发布。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


@app.callback()
def _root() -> None:
    """gongkai（公开）：政府信息公开工作年度报告的读取、检查、计算、撰写与发布。"""

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2


def fail(message: str, code: int = EXIT_UNUSABLE) -> typer.Exit:
    """Print a one-line error on stderr and return the Exit to raise."""
    err_console.print(f"[bold red]错误[/]：{message}", markup=True, soft_wrap=True)
    return typer.Exit(code)


def guarded(func: F) -> F:
    """Turn GongkaiError (and any other exception) into a one-line message and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except GongkaiError as exc:
            raise fail(str(exc)) from None
        except BrokenPipeError:
            sys.exit(0)
        except Exception as exc:  # noqa: BLE001 - the CLI never shows a traceback
            raise fail(f"内部错误：{type(exc).__name__}: {exc}") from None

    return wrapper  # type: ignore[return-value]
