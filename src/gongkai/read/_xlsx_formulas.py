"""Formulas that a workbook stores without their results (files written by programs, not by Excel/WPS).

Excel and WPS save each formula's last result beside it; a workbook written by a script often does not,
and reading it "values only" then gives empty cells where the totals are. :func:`evaluate` computes the
simple formulas a report uses — ``SUM`` over cells and ranges, ``+ - * /``, parentheses, numbers — from
the sheet's own values; anything else stays empty and is counted, never guessed.
"""
from __future__ import annotations

import ast
import operator
import re

_REF = r"\$?([A-Z]{1,3})\$?(\d{1,7})"
_RANGE = re.compile(_REF + ":" + _REF)
_CELL = re.compile(_REF)
_SUM = re.compile(r"\bSUM\(([^()]*)\)", re.IGNORECASE)
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _arith(node: ast.AST) -> float:
    if isinstance(node, ast.Expression):
        return _arith(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_arith(node.left), _arith(node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _arith(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    raise ValueError("unsupported")


def _number(text: str) -> float | None:
    if text == "":
        return 0.0  # an empty cell counts 0, as in Excel
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def evaluate(formula: str, value_at) -> float | None:
    """The value of a simple formula (``=SUM(B2:G2)``, ``=B3+C3-D3`` …); ``value_at(row, col)`` gives a
    cell's text (1-based), or None while that cell is itself still unknown. None when it cannot be computed."""
    expr = formula.lstrip("=").strip().upper()
    if "!" in expr or len(expr) > 2000:
        return None

    def number(r: int, c: int) -> str:
        raw = value_at(r, c)
        v = _number(raw) if raw is not None else None
        if v is None:  # not yet computed, or text
            raise LookupError
        return repr(v)

    def cell(m: re.Match) -> str:
        return number(int(m.group(2)), _col(m.group(1)))

    def cells(arg: str) -> list[str]:
        out = []
        for part in arg.split(","):
            part = part.strip()
            if m := _RANGE.fullmatch(part):
                c0, r0, c1, r1 = _col(m.group(1)), int(m.group(2)), _col(m.group(3)), int(m.group(4))
                if (abs(r1 - r0) + 1) * (abs(c1 - c0) + 1) > 10000:
                    raise LookupError
                for r in range(min(r0, r1), max(r0, r1) + 1):
                    out.extend(number(r, c) for c in range(min(c0, c1), max(c0, c1) + 1))
            elif part:
                out.append("(" + _CELL.sub(cell, part) + ")")
        return out

    try:
        expr = _SUM.sub(lambda m: "(" + ("+".join(cells(m.group(1))) or "0") + ")", expr)
        expr = _CELL.sub(cell, expr)
        return _arith(ast.parse(expr, mode="eval"))
    except (LookupError, ValueError, SyntaxError, ZeroDivisionError, RecursionError, TypeError):
        return None


def fill(grid: list[list[str | None]], formulas: dict[tuple[int, int], str], fmt) -> tuple[int, int]:
    """Fill empty cells of ``grid`` (0-based rows of texts) from their formulas, in dependency order.

    ``formulas`` maps 1-based (row, col) to formula text; ``fmt`` formats a number. Returns
    (computed, left empty)."""
    pending = {k: f for k, f in formulas.items()
               if k[0] - 1 < len(grid) and k[1] - 1 < len(grid[k[0] - 1]) and not grid[k[0] - 1][k[1] - 1]}

    def value_at(r: int, c: int) -> str | None:
        if (r, c) in pending:
            return None
        if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
            return grid[r - 1][c - 1] or ""
        return ""

    computed = 0
    progress = True
    while pending and progress:
        progress = False
        for key, formula in list(pending.items()):
            value = evaluate(formula, value_at)
            if value is not None:
                grid[key[0] - 1][key[1] - 1] = fmt(value)
                del pending[key]
                computed += 1
                progress = True
    return computed, len(pending)


__all__ = ["evaluate", "fill"]
