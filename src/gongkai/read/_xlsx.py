"""XLSX reader: each sheet's rows → tables and paragraphs.

    check_zip (bombs) → openpyxl, read-only and cached values (``data_only``) → per sheet:
      cell values as text (``190.457379`` stays exactly that, ``12.0`` → ``12``, percentages as shown)
      merged ranges (read from the sheet XML: read-only mode streams past them) → text at the top-left,
      ``None`` under the rest of the range
      runs of rows split at blank rows; a run's leading one-cell rows (titles) → Paragraphs, the rest →
      one TableBlock; a sheet whose every row has one cell (prose) → Paragraphs only
"""
from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from decimal import Decimal

from ..errors import CorruptDocument
from ._cjk import normalize_cjk, squash
from ._sniff import check_bytes, check_zip, is_xlsx, translated
from ._xlsx_formulas import fill
from .blocks import Block, Paragraph, TableBlock
from .limits import LimitExceeded, count, current
from .registry import Document, ReadOptions, reader

MAX_ROWS = 20000
MAX_COLS = 200
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def format_number(value: float, number_format: str | None = None) -> str:
    """A number as a report prints it: no float noise, no ``.0`` on integers."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if number_format and "%" in number_format and isinstance(value, float | int):
        return format_number(round(value * 100, 10)) + "%"
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return ""
    if float(value).is_integer() and abs(value) < 1e16:
        return str(int(value))
    text = format(value, ".15g")  # Excel shows 15 significant digits: 0.30000000000000004 → 0.3
    if "e" in text:
        text = format(Decimal(text), "f")
    return text


def cell_text(value, number_format: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return format_number(value, number_format)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return normalize_cjk(squash(str(value)))


_UNCACHED = re.compile(rb"(?:</(?:\w+:)?f>|<(?:\w+:)?f\b[^>]*/>)\s*"
                       rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>")


def _sheet_facts(data: bytes, sheet_path: str | None) -> tuple[list[tuple[int, int, int, int]], bool]:
    """A sheet's merged ranges (min_row, min_col, max_row, max_col; 1-based), and whether it has formulas
    saved without their results."""
    if not sheet_path:
        return [], False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            xml = zf.read(sheet_path.lstrip("/"))
    except (KeyError, zipfile.BadZipFile, OSError):
        return [], False
    uncached = _UNCACHED.search(xml) is not None
    at = xml.rfind(b"mergeCells")
    if at < 0:
        return [], uncached
    out = []
    for m in _MERGE.finditer(xml, max(at - 200, 0)):
        c0, r0, c1, r1 = _col_index(m.group(1)), int(m.group(2)), _col_index(m.group(3)), int(m.group(4))
        out.append((min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)))
    return out, uncached


def _formulas(data: bytes, title: str) -> dict[tuple[int, int], str]:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        ws = wb[title]
        return {(cell.row, cell.column): cell.value for row in ws.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLS)
                for cell in row if isinstance(getattr(cell, "value", None), str) and cell.value.startswith("=")}
    finally:
        wb.close()


def _sheet_grid(ws, merges: list[tuple[int, int, int, int]],
                formulas: dict[tuple[int, int], str] | None = None) -> tuple[list[list[str | None]], tuple[int, int]]:
    from openpyxl.cell.read_only import EMPTY_CELL

    grid: list[list[str | None]] = []
    for row in ws.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLS):
        n = len(row)
        while n and row[n - 1] is EMPTY_CELL:  # read-only rows come padded to MAX_COLS: skip the padding
            n -= 1
        grid.append([cell_text(getattr(cell, "value", None), getattr(cell, "number_format", None))
                     for cell in row[:n]])
    width = max((len(r) for r in grid), default=0)
    for r in grid:
        r.extend([""] * (width - len(r)))
    counts = fill(grid, formulas, format_number) if formulas else (0, 0)
    for r0, c0, r1, c1 in merges:
        for r in range(r0 - 1, min(r1, len(grid))):
            for c in range(c0 - 1, min(c1, width)):
                if (r, c) != (r0 - 1, c0 - 1):
                    grid[r][c] = None
    # trim blank trailing columns
    used = [j for j in range(width) if any(row[j] for row in grid)]
    last = (max(used) + 1) if used else 0
    return [row[:last] for row in grid], counts


def _filled(row: list[str | None]) -> int:
    return sum(1 for v in row if v)


def sheet_blocks(grid: list[list[str | None]]) -> list[Block]:
    blocks: list[Block] = []
    runs: list[list[list[str | None]]] = [[]]
    for row in grid:
        if _filled(row) == 0:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(row)
    for run in runs:
        if not run:
            continue
        i = 0
        while i < len(run) and _filled(run[i]) == 1:
            blocks.append(Paragraph(text=next(v for v in run[i] if v)))
            i += 1
        body = run[i:]
        if not body:
            continue
        used = [j for j in range(len(body[0])) if any(r[j] for r in body)]
        first = min(used) if used else 0
        rows = tuple(tuple(r[first:]) for r in body)
        if rows and rows[0] and rows[0][0] is None:  # a range merged from a trimmed column: keep the text
            rows = tuple(tuple(r[max(first - 1, 0):]) for r in body)
        blocks.append(TableBlock(rows=rows))
    return blocks


def xlsx_to_blocks(data: bytes) -> tuple[list[Block], list[str]]:
    import openpyxl

    check_zip(data)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, InvalidFileException, zip and XML errors
        raise CorruptDocument("Excel 文件已损坏或不完整，无法打开") from exc
    blocks: list[Block] = []
    notes: list[str] = []
    try:
        sheets = [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
        for ws in sheets:
            try:
                merges, uncached = _sheet_facts(data, getattr(ws, "_worksheet_path", None))
                grid, (computed, left) = _sheet_grid(ws, merges, _formulas(data, ws.title) if uncached else None)
            except Exception as exc:  # noqa: BLE001 - a damaged sheet: say so, read the others
                notes.append(f"工作表“{ws.title}”无法读取（{type(exc).__name__}）")
                continue
            if computed or left:
                notes.append(f"工作表“{ws.title}”的公式没有保存计算结果：已按公式算出 {computed} 个"
                             + (f"，{left} 个无法计算、留空" if left else ""))
            if len(sheets) > 1 and any(_filled(r) for r in grid):
                blocks.append(Paragraph(text=str(ws.title)))
            blocks.extend(sheet_blocks(grid))
    finally:
        wb.close()
    return blocks, notes


def sheet_values(data: bytes, max_rows: int | None = None) -> list[tuple]:
    """The values of a workbook's first sheet, row by row (an import of figures, not a report).

    The package is checked first (bombs, entity declarations, rows and cells: :func:`check_zip`), then
    read in openpyxl's streaming mode; more than ``max_rows`` rows (default: the sheet limit) is refused.
    """
    import openpyxl

    check_zip(data)
    limit = max_rows or current().sheet_rows
    with translated("Excel 文件"):
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            raise CorruptDocument("无法读取该 XLSX 文件，请确认是 Excel 2007 及以上格式") from exc
        try:
            if not wb.worksheets:
                return []
            rows: list[tuple] = []
            for row in wb.worksheets[0].iter_rows(max_col=MAX_COLS, values_only=True):
                if len(rows) >= limit:
                    raise LimitExceeded(f"表格行数过多：超过 {count(limit)} 行，已拒绝读取")
                values = list(row)
                while values and values[-1] in (None, ""):
                    values.pop()
                rows.append(tuple(values))
        finally:
            wb.close()
    while rows and not rows[-1]:
        rows.pop()
    return rows


@reader("xlsx", extensions=(".xlsx", ".xlsm"), magic=(b"PK\x03\x04",), sniff=is_xlsx)
def read_xlsx(data: bytes, options: ReadOptions) -> Document:
    """Read an Excel (.xlsx) workbook into blocks."""
    check_bytes(data, options)
    with translated("Excel 文件"):
        blocks, notes = xlsx_to_blocks(data)
    return Document(blocks, kind="xlsx", notes=notes)


__all__ = ["cell_text", "format_number", "read_xlsx", "sheet_blocks", "sheet_values", "xlsx_to_blocks"]
