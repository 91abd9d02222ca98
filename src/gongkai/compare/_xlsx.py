"""The comparison as a workbook: one sheet per part, numbers as numbers (for filtering and sorting)."""
from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..checks import LEVEL_NAMES
from . import CROSS_STATUS, PROBLEM_STATUS, SENTENCE_STATUS, Comparison

_HEAD = Font(bold=True)
_FILLS = {"bad": PatternFill("solid", fgColor="FDECEE"), "changed": PatternFill("solid", fgColor="FFFBE6"),
          "repeated": PatternFill("solid", fgColor="FFF3B0")}


def _v(x: object) -> object:
    if isinstance(x, Decimal):
        return float(x) if x == x.normalize() and abs(x) < 10**15 else str(x)
    return x


def _sheet(wb: Workbook, title: str, head: list[str], rows: list[list[object]], widths: list[int],
           fills: list[str | None] | None = None) -> None:
    ws = wb.create_sheet(title)
    ws.append(head)
    for c in ws[1]:
        c.font = _HEAD
    for k, row in enumerate(rows):
        ws.append([_v(x) for x in row])
        if fills and fills[k]:
            for c in ws[ws.max_row]:
                c.fill = _FILLS[fills[k]]  # type: ignore[index]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
        if w >= 30:
            for c in ws[get_column_letter(i)]:
                c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def render_xlsx(cmp: Comparison) -> bytes:
    wb = Workbook()
    info = wb.active
    info.title = "概况"
    info.append([cmp.title])
    info["A1"].font = Font(bold=True, size=14)
    for name, side in (("上年", cmp.last), ("本年", cmp.this)):
        info.append([name, side.agency, side.year, side.format, side.source, f"错误 {side.errors}", f"警告 {side.warnings}"])
    for note in cmp.notes:
        info.append(["说明", note])
    info.column_dimensions["B"].width = 30
    _sheet(wb, "逐格对比", ["单元格", "部分", "项目", "上年", "本年", "变化", "变化率", "上年状态", "本年状态"],
           [[c.key, c.section, c.label, c.last, c.this, c.change, c.ratio, c.last_status, c.this_status]
            for c in cmp.cells], [30, 6, 50, 12, 12, 10, 10, 10, 10],
           ["changed" if c.changed else None for c in cmp.cells])
    ev_rows: list[list[object]] = []
    ev_fill: list[str | None] = []
    for x in cmp.cross:
        if not x.evidence:
            ev_rows.append([x.id, x.title, CROSS_STATUS[x.status], x.summary, None, None, None, None])
            ev_fill.append(None)
        for e in x.evidence:
            ev_rows.append([x.id, x.title, "相等" if e.holds else "不等", e.label, e.lhs_expr, e.lhs, e.rhs_expr, e.rhs])
            ev_fill.append(None if e.holds else "bad")
    _sheet(wb, "跨年检查", ["编号", "检查", "结果", "项目", "本年", "值", "按上年推算", "值"], ev_rows,
           [6, 40, 8, 30, 40, 10, 30, 10], ev_fill)
    text_rows: list[list[object]] = []
    text_fill: list[str | None] = []
    for s in cmp.sections:
        for r in s.rows:
            text_rows.append([s.title, round(s.rate, 4), SENTENCE_STATUS[r.status], r.similarity, r.last, r.this])
            text_fill.append("repeated" if r.status == "repeated" else None)
    _sheet(wb, "正文对比", ["部分", "重复率", "对比", "相似度", "上年", "本年"], text_rows, [24, 8, 6, 8, 60, 60],
           text_fill)
    _sheet(wb, "上年问题整改", ["上年问题", "判断", "吻合度", "本年相关表述"],
           [[p.text, PROBLEM_STATUS[p.status], p.score, p.evidence] for p in cmp.problems], [50, 10, 8, 70])
    nrows: list[list[object]] = []
    nfill: list[str | None] = []
    for n in cmp.narrative:
        for r in n.rows:
            nrows.append([n.year, r.text, r.stated, r.label, r.table,
                          "—" if r.agrees is None else ("一致" if r.agrees else "不一致")])
            nfill.append("bad" if r.agrees is False else None)
    _sheet(wb, "正文数字与表格", ["年度", "正文表述", "正文数字", "表格单元格", "表格数值", "结果"], nrows,
           [6, 50, 10, 40, 10, 8], nfill)
    findings = [[x.id, LEVEL_NAMES[f.level], f.message] for x in cmp.cross for f in x.findings]
    findings += [[f.id, LEVEL_NAMES[f.level], f"{n.year}年：{f.message}"] for n in cmp.narrative for f in n.findings]
    _sheet(wb, "检查提示", ["编号", "级别", "说明"], findings, [6, 6, 100])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
