"""XLSX (template layout + flat sheet), Markdown and JSON outputs."""
import io
from decimal import Decimal

import openpyxl

from gongkai.checks import Finding, Level
from gongkai.formats import get_format
from gongkai.report import Cell, Report
from gongkai.write import layout, render
from gongkai.write._xlsx import DATA_SHEET, SHEET_NAMES

from .conftest import sample_report


def _wb(report, **kw):
    return openpyxl.load_workbook(io.BytesIO(render(report, "xlsx", findings=[], **kw)))


def test_xlsx_sheets_merges_and_values_match_the_layout(report):
    wb = _wb(report)
    assert wb.sheetnames == [*SHEET_NAMES.values(), DATA_SHEET]
    lay = layout(report, findings=[])
    for grid in lay.grids:
        ws = wb[SHEET_NAMES[grid.id]]
        assert ws["A1"].value == lay.title
        merged = {str(r) for r in ws.merged_cells.ranges}
        for c in grid.cells:
            cell = ws.cell(4 + c.row, 1 + c.col)
            if c.role == "value":
                assert Decimal(str(cell.value)) == c.value, (c.key, cell.value)
                assert isinstance(cell.value, int | float)
            else:
                assert cell.value == c.text
            if c.rowspan > 1 or c.colspan > 1:
                ref = (f"{cell.coordinate}:"
                       f"{ws.cell(4 + c.row + c.rowspan - 1, 1 + c.col + c.colspan - 1).coordinate}")
                assert ref in merged


def test_xlsx_number_formats_and_validation():
    wb = _wb(sample_report("2021"))
    ws = wb[SHEET_NAMES["s2"]]
    fee = next(c for row in ws.iter_rows() for c in row if c.value == 12.345678)
    assert fee.number_format == "General"
    count = next(c for row in ws.iter_rows() for c in row if c.value == 10)
    assert count.number_format == "0"
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert kinds == {"whole", "decimal"}
    s3 = wb[SHEET_NAMES["s3"]]
    assert s3.print_title_rows == "$4:$6"


def test_xlsx_money_keeps_its_unit_in_the_format():
    r = sample_report("2019-trial").with_cells({"s2.procurement.amount": Cell(value=Decimal("1520.5"), unit="元")})
    ws = _wb(r)[SHEET_NAMES["s2"]]
    amount = next(c for row in ws.iter_rows() for c in row if c.value == 1520.5)
    assert amount.number_format == 'General"元"'


def test_xlsx_flat_sheet_lists_every_key():
    r = sample_report("2021", collapsed=True)
    ws = _wb(r)[DATA_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("键", "说明", "数值", "状态")
    meta = {k: v for k, _, v, _ in rows[1:4]}
    assert meta == {"agency": "淮安市人民政府", "year": 2024, "format": "2021"}
    cells = {k: v for k, _, v, _ in rows[4:]}
    assert set(cells) == set(r.expected_keys())
    for k, v in cells.items():
        assert Decimal(str(v)) == r.value(k)


def test_markdown_tables_and_headings():
    r = sample_report("2021")
    md = render(r, "md", findings=[]).decode()
    assert md.startswith("# 淮安市人民政府2024年政府信息公开工作年度报告\n")
    for s in get_format("2021").sections:
        assert f"\n## {s.heading}\n" in md
    assert "\n第二十条第（八）项\n\n| 信息内容 | 本年收费金额（单位：万元） |\n|---|---|\n| 行政事业性收费 | 12.345678 |" in md
    row = next(line for line in md.splitlines() if line.startswith("|  | （三）不予公开 | 1.属于国家秘密 |"))
    assert row.count("|") == 11
    s4 = [line for line in md.splitlines() if line.startswith("| 行政复议 |")]
    assert len(s4) == 1 and s4[0].count("|") == 16


def test_markdown_warning_block_is_a_quote():
    f = Finding(id="W4", level=Level.WARNING, message="第六部分未说明信息处理费的收取情况")
    md = render(sample_report("2021"), "md", findings=[f]).decode()
    assert "> - 【警告】W4：第六部分未说明信息处理费的收取情况" in md


def test_json_is_the_model():
    r = sample_report("2019-trial")
    assert Report.from_json(render(r, "json")) == r
