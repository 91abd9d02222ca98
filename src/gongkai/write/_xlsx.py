"""XLSX: one sheet per table in the template layout, plus a flat sheet of canonical keys.

Each table sheet starts with the report title and the section heading, then the grid of the national
template with its merged cells; numbers are numbers (counts formatted ``0``, 万元 in ``General`` so
every decimal shows and none is padded, an amount with its unit in the number format, e.g. 元).
Value cells carry data validation (whole numbers ≥ 0, signed for 本年增/减, decimals ≥ 0 for money),
so a clerk filling the blank template in Excel or WPS cannot type text into a number cell.
The sheet 数据 lists every cell as key, labels, value and status, for analysis; it is written from
the same report and is not meant to be edited (the table sheets are the form).
"""
from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..formats import ValueType
from ..report import Report
from ._layout import Grid, Layout, describe_key

BODY_FONT = "仿宋"
TITLE_FONT = "方正小标宋简体"
SHEET_NAMES = {"s2": "表二 主动公开", "s3": "表三 依申请公开", "s4": "表四 复议诉讼"}
DATA_SHEET = "数据"
_WIDTHS = {"s2": (26, 16, 16, 16), "s3": (6, 10, 34) + (10,) * 7}
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
_FIRST_ROW = 4  # row 1 title, row 2 heading, row 3 blank


def _number_format(vtype: ValueType | None, unit: str | None) -> str:
    if vtype in (ValueType.WAN_YUAN, ValueType.MONEY):
        return f'General"{unit}"' if unit else "General"
    return "0"


def _validation(vtype: ValueType | None) -> DataValidation:
    if vtype is ValueType.SIGNED_INT:
        return DataValidation(type="whole", operator="between", formula1="-1000000000", formula2="1000000000",
                              showErrorMessage=True, errorTitle="请输入整数", error="本年增/减应为整数（减少填负数）")
    if vtype in (ValueType.WAN_YUAN, ValueType.MONEY):
        return DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", showErrorMessage=True,
                              errorTitle="请输入金额", error="金额应为不小于 0 的数字")
    return DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", showErrorMessage=True,
                          errorTitle="请输入件数", error="件数应为不小于 0 的整数")


def _table_sheet(wb: Workbook, grid: Grid, layout: Layout, report: Report) -> None:
    ws = wb.create_sheet(SHEET_NAMES.get(grid.id, grid.id))
    heading = next(s.heading for s in layout.sections if s.grid is grid)
    ws.cell(1, 1, layout.title).font = Font(name=TITLE_FONT, size=16)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=grid.n_cols)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 30
    ws.cell(2, 1, heading).font = Font(name="黑体", size=12)
    widths = _WIDTHS.get(grid.id) or (9,) * grid.n_cols
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    validations: dict[ValueType | None, DataValidation] = {}
    head_rows = {r for b in grid.bands for r in range(*b.head)}
    for c in grid.cells:
        row, col = _FIRST_ROW + c.row, 1 + c.col
        if c.role == "value":
            cell = report.cell(c.key or "")
            xc = ws.cell(row, col, c.value)
            xc.number_format = _number_format(c.vtype, cell.unit)
            dv = validations.get(c.vtype)
            if dv is None:
                dv = validations[c.vtype] = _validation(c.vtype)
                ws.add_data_validation(dv)
            dv.add(xc.coordinate)
        else:
            xc = ws.cell(row, col, c.text)
            if c.row in head_rows or c.role in ("caption", "corner"):
                xc.fill = _HEAD_FILL
        left = c.role in ("label", "corner") or (c.role == "caption")
        xc.alignment = Alignment(horizontal="left" if left else "center", vertical="center", wrap_text=True)
        xc.font = Font(name=BODY_FONT, size=10, bold=c.role == "caption")
        if c.rowspan > 1 or c.colspan > 1:
            ws.merge_cells(start_row=row, start_column=col, end_row=row + c.rowspan - 1,
                           end_column=col + c.colspan - 1)
        for r in range(row, row + c.rowspan):
            for k in range(col, col + c.colspan):
                ws.cell(r, k).border = _BORDER
    _row_heights(ws, grid, widths)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if grid.n_cols > 10 else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if len(grid.bands) == 1:
        band = grid.bands[0]
        ws.print_title_rows = f"{_FIRST_ROW + band.head[0]}:{_FIRST_ROW + band.head[1] - 1}"


def _display_width(text: str) -> int:
    """Width in Excel's character units: a CJK character takes two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _row_heights(ws: Worksheet, grid: Grid, widths: Sequence[float]) -> None:
    """Excel does not grow a row for wrapped text when it opens a file: set heights from the text."""
    need: dict[int, float] = {}
    for c in grid.cells:
        if c.role == "value" or not c.text:
            continue
        width = sum(widths[c.col: c.col + c.colspan]) - 1
        lines = -(-_display_width(c.text) // max(int(width), 1))
        per_row = lines * 13.5 / c.rowspan + 3
        for r in range(c.row, c.row + c.rowspan):
            need[r] = max(need.get(r, 15.0), per_row)
    for r, h in need.items():
        ws.row_dimensions[_FIRST_ROW + r].height = round(h, 1)


def _data_sheet(wb: Workbook, layout: Layout, report: Report) -> None:
    ws = wb.create_sheet(DATA_SHEET)
    ws.append(["键", "说明", "数值", "状态"])
    for label, value in (("agency", layout.agency or ""), ("year", layout.year or ""),
                         ("format", layout.format_id)):
        ws.append([label, {"agency": "机关名称", "year": "年度", "format": "报告格式"}[label], value, ""])
    for grid in layout.grids:
        for c in grid.values():
            key = c.key or ""
            cell = report.cell(key)
            status = "missing" if cell.value is None else cell.status.value
            ws.append([key, describe_key(report, key), c.value, status])
            ws.cell(ws.max_row, 3).number_format = _number_format(c.vtype, cell.unit)
    for n in layout.notices:
        ws.append([f"finding.{n.id}", n.text, None, n.level])
    for i, w in enumerate((36, 60, 14, 10), start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:D{ws.max_row}"


def render_xlsx(layout: Layout, report: Report) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for grid in layout.grids:
        _table_sheet(wb, grid, layout, report)
    _data_sheet(wb, layout, report)
    wb.properties.title = layout.title
    wb.properties.creator = "gongkai"
    wb.properties.subject = "政府信息公开工作年度报告"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
