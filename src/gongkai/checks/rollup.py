"""Roll-up of several reports (report-format.md §4.4): sections 三 and 四 add cell by cell, section 二 counts add."""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..errors import InputError
from ..report import Cell, Metadata, Report, Status


def rollup(reports: Sequence[Report], *, agency: str | None = None, year: int | None = None) -> Report:
    """Add reports cell by cell into a new Report.

    A government's own report is not the sum of its departments' reports: the result is a roll-up
    (its agency says so), never a body's report. A cell that some inputs lack is summed over the others
    and marked ``uncertain`` with a note saying how many were missing. Groups of table 三 printed as one
    row in any input (（六）其他处理) are rolled up as that one row.
    """
    if not reports:
        raise InputError("汇总至少需要一份报告")
    formats = {r.format for r in reports}
    if len(formats) > 1:
        raise InputError(f"不能汇总不同格式的报告：{'、'.join(sorted(formats))}（2019 试行格式与 2021 格式的栏目不能对应相加）")
    s2_formats = {r.section_formats.get("s2", r.format) for r in reports}
    if len(s2_formats) > 1:
        raise InputError("不能汇总第二部分格式不同的报告")
    base = reports[0]
    collapsed = frozenset().union(*(r.collapsed for r in reports))
    groups = base.fmt.collapsible_groups()

    def normalise(r: Report) -> dict[str, Cell]:
        cells = dict(r.cells)
        for group in collapsed - r.collapsed:
            for col in (c.key for c in r.fmt.s3.columns):
                keys = [f"s3.{child}.{col}" for child in groups[group]]
                parts = [cells.pop(k) for k in keys if k in cells]
                if parts:
                    cells[f"s3.{group}.{col}"] = Cell(value=sum((p.number for p in parts), 0))
        return cells

    normalised = [normalise(r) for r in reports]
    keys = list(dict.fromkeys(k for cells in normalised for k in cells))
    out: dict[str, Cell] = {}
    for key in keys:
        present = [cells[key] for cells in normalised if key in cells and cells[key].status is not Status.MISSING]
        total = sum((c.number for c in present), Decimal(0) if any(isinstance(c.value, Decimal) for c in present) else 0)
        missing = len(reports) - len(present)
        uncertain = sum(1 for c in present if c.status is Status.UNCERTAIN)
        notes = []
        if missing:
            notes.append(f"{missing} 份报告缺少此单元格")
        if uncertain:
            notes.append(f"{uncertain} 份报告中此单元格待核实")
        out[key] = Cell(value=total, status=Status.UNCERTAIN if notes else Status.OK,
                        note="；".join(notes) or None)
    years = {r.year for r in reports}
    meta = Metadata(agency=agency or f"汇总（{len(reports)} 份报告）",
                    year=year if year is not None else (years.pop() if len(years) == 1 else None),
                    format_detected=base.format)
    return Report(format=base.format, section_formats=dict(base.section_formats), metadata=meta, cells=out)
