"""Blocks: what every reader produces and every later stage consumes.

A reader turns a document into a sequence of blocks, in reading order:

* :class:`Paragraph`  a line or paragraph of text (headings, narrative, flattened table text)
* :class:`TableBlock` a table as a rectangular grid, spans expanded: the text of a spanned cell
  sits at its top-left position and every other position it covers is ``None``
  (so a number spanning three columns is seen once, and a vertically merged group label once)

All later stages (normalisation, alignment, numbers, repair) are shared by every reader.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    text: str
    page: int | None = None  # 1-based page, for paged documents
    line: int | None = None  # 1-based line in a text document


@dataclass(frozen=True)
class TableBlock:
    rows: tuple[tuple[str | None, ...], ...]
    page: int | None = None  # page where the table starts
    line: int | None = None
    confidence: tuple[tuple[float | None, ...], ...] | None = None  # per cell, from OCR
    pages: tuple[int | None, ...] = field(default=())  # page of each row, when a table spans pages

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


Block = Paragraph | TableBlock


def grid_from_spans(cells: list[tuple[int, int, int, int, str]], n_rows: int, n_cols: int) -> TableBlock:
    """Build a grid from ``(row, col, rowspan, colspan, text)`` cells (0-based origins).

    Positions covered by a span (other than its origin) become ``None``; positions no cell
    covers become ``""``.
    """
    grid: list[list[str | None]] = [[""] * n_cols for _ in range(n_rows)]
    for r, c, rs, cs, text in cells:
        if r < 0 or c < 0:  # (no reader makes these) Python's negative indexes, as the loops always did
            for dr in range(max(rs, 1)):
                for dc in range(max(cs, 1)):
                    if r + dr < n_rows and c + dc < n_cols:
                        grid[r + dr][c + dc] = None
        elif c < n_cols and (rs > 1 or cs > 1):  # a span: the positions it covers inside the grid, row by row
            right = min(c + max(cs, 1), n_cols)
            for row in grid[r:r + max(rs, 1)]:
                row[c:right] = [None] * (right - c)
        # (a single cell's one position needs no None first: its text goes there, as every span's to its top-left)
        if r < n_rows and c < n_cols:
            grid[r][c] = text
    return TableBlock(rows=tuple(map(tuple, grid)))
