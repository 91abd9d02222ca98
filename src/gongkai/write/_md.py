"""Markdown for plain-text channels: headings, paragraphs and pipe tables.

A pipe table cannot merge cells, so each table prints the template grid with a spanned cell's text at
its top-left position and empty cells where it extends (what converters of the official Word file
produce, and what the Markdown reader reads back). Section 二 prints one small table per band under
its caption (第二十条第（一）项 …), without the columns a band does not have. A missing section text
prints nothing under its heading: no placeholder that could be read back as content.
"""
from __future__ import annotations

from ._layout import Grid, Layout


def _cell(text: str | None) -> str:
    return (text or "").replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _pipe(rows: list[list[str | None]]) -> list[str]:
    out = ["| " + " | ".join(_cell(x) for x in rows[0]) + " |",
           "|" + "|".join("---" for _ in rows[0]) + "|"]
    out += ["| " + " | ".join(_cell(x) for x in r) + " |" for r in rows[1:]]
    return out


def table_md(grid: Grid) -> list[str]:
    rows = grid.expanded()
    out: list[str] = []
    if len(grid.bands) == 1 and grid.bands[0].caption is None:
        return _pipe(rows)
    for band in grid.bands:
        start = band.head[0] + (1 if band.caption else 0)
        part = rows[start: band.body[1]]
        keep = [c for c in range(grid.n_cols) if any(r[c] for r in part)]
        if band.caption:
            out += [band.caption, ""]
        out += _pipe([[r[c] for c in keep] for r in part])
        out.append("")
    return out[:-1]


def render_md(layout: Layout) -> bytes:
    lines = [f"# {layout.title}", ""]
    if layout.notices:
        lines.append("> **发布前检查提示（本框不属于报告正文，核对后删除）**")
        lines.append(">")
        lines += [f"> - {n.text}" for n in layout.notices]
        lines.append("")
    for text in layout.preamble:
        lines += [text, ""]
    for s in layout.sections:
        lines += [f"## {s.heading}", ""]
        if s.grid is not None:  # a table section: the table right under its heading, then any notes
            lines += table_md(s.grid)
            lines.append("")
        for text in s.paragraphs:
            lines += [text, ""]
    for text in layout.signature:
        lines += [text, ""]
    return ("\n".join(lines).rstrip("\n") + "\n").encode()
