"""The shared layout: the grids every writer prints are the national template's."""
from decimal import Decimal

import pytest

from gongkai.formats import RowKind, get_format
from gongkai.report import Cell, Status
from gongkai.write import layout
from gongkai.write._layout import build_grids, format_number

from .conftest import sample_report


def _grid(report, gid):
    return next(g for g in build_grids(report) if g.id == gid)


def _cell(grid, text):
    return next(c for c in grid.cells if c.text == text)


@pytest.mark.parametrize(("value", "text"), [
    (0, "0"), (17, "17"), (-3, "-3"), (Decimal("96171.60"), "96171.6"), (Decimal("0.000001"), "0.000001"),
    (Decimal("1E+3"), "1000"), (Decimal("0.00"), "0"), (Decimal("12.345678"), "12.345678"), (None, "0"),
])
def test_numbers_print_exactly_without_padding(value, text):
    assert format_number(value) == text


def test_s3_header_is_the_templates_three_levels():
    g = _grid(sample_report("2021"), "s3")
    assert (g.stub_cols, g.n_cols, g.n_rows) == (3, 10, 3 + 25)
    corner = _cell(g, get_format("2021").s3.note)
    assert (corner.row, corner.col, corner.rowspan, corner.colspan, corner.role) == (0, 0, 3, 3, "corner")
    applicant = _cell(g, "申请人情况")
    assert (applicant.row, applicant.col, applicant.colspan) == (0, 3, 7)
    org = _cell(g, "法人或其他组织")
    assert (org.row, org.col, org.colspan, org.rowspan) == (1, 4, 5, 1)
    for label in ("自然人", "总计"):
        c = next(c for c in g.cells if c.text == label and c.role == "head")
        assert (c.row, c.rowspan) == (1, 2)
    assert [c.text for c in g.cells if c.row == 2 and c.role == "head"] == \
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]


def test_s3_group_rows_are_vertical_merges_without_numbers():
    fmt = get_format("2021")
    g = _grid(sample_report("2021"), "s3")
    groups = {c.text: c for c in g.cells if c.role == "group"}
    assert list(groups) == [r.label for r in fmt.s3.rows if r.kind is RowKind.GROUP]
    results, denied = groups["三、本年度办理结果"], groups["（三）不予公开"]
    assert (results.col, results.rowspan) == (0, 21 + 1)  # every result leaf and （七）总计
    assert (denied.col, denied.rowspan, denied.row) == (1, 8, _cell(g, "1.属于国家秘密").row)
    assert groups["（六）其他处理"].rowspan == 3
    # no value sits in the row of a group label that is not also a leaf's row
    leaf_rows = {c.row for c in g.cells if c.role == "label"}
    assert {c.row for c in g.cells if c.role == "value"} == leaf_rows
    # labels span to the values: 一、 across all three stub columns, （一） across two, a 1. leaf one
    assert _cell(g, fmt.s3.row("new").label).colspan == 3
    assert _cell(g, "（一）予以公开").colspan == 2
    assert _cell(g, "（七）总计").colspan == 2
    assert _cell(g, "1.属于国家秘密").colspan == 1


def test_every_cell_of_the_format_is_printed_once(report):
    cells = [c for g in build_grids(report) for c in g.values()]
    keys = [c.key for c in cells]
    assert sorted(keys) == sorted(report.expected_keys())
    assert all(c.text for c in cells)


def test_collapsed_other_is_one_data_row():
    r = sample_report("2021", collapsed=True)
    assert r.collapsed == {"other"}
    g = _grid(r, "s3")
    other = _cell(g, "（六）其他处理")
    assert (other.role, other.colspan) == ("label", 2)
    assert next(c.key for c in g.cells if c.row == other.row and c.role == "value") == "s3.other.natural"
    assert not [c for c in g.cells if "申请人逾期未按收费通知" in c.text]


def test_2019_trial_prints_five_bands_and_one_other_row():
    r = sample_report("2019-trial")
    g = _grid(r, "s2")
    assert [b.caption for b in g.bands] == [t.caption for t in get_format("2019-trial").tables_of(2)]
    assert len(g.bands) == 5
    # （八） has two columns: the last spans the rest of the width
    fee_head = _cell(g, "本年增/减")
    assert fee_head.colspan in (1, 2)
    assert [c.colspan for c in g.cells if c.key == "s2.fees.delta"] == [2]
    s3 = _grid(r, "s3")
    assert _cell(s3, "（六）其他处理").role == "label"


def test_s4_has_the_three_level_header_and_one_row():
    g = _grid(sample_report("2021"), "s4")
    assert (g.n_rows, g.n_cols, g.stub_cols) == (4, 15, 0)
    top = [(c.text, c.colspan) for c in sorted(g.cells, key=lambda c: c.col) if c.row == 0]
    assert top == [("行政复议", 5), ("行政诉讼", 10)]
    mid = [(c.text, c.colspan, c.rowspan) for c in sorted(g.cells, key=lambda c: c.col) if c.row == 1]
    assert mid[:5] == [(t, 1, 2) for t in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")]
    assert mid[5:] == [("未经复议直接起诉", 5, 1), ("复议后起诉", 5, 1)]
    assert len([c for c in g.cells if c.row == 3 and c.role == "value"]) == 15


def test_single_column_tables_of_section_two_span_three_columns():
    g = _grid(sample_report("2021"), "s2")
    assert [c.colspan for c in g.cells if c.key == "s2.licensing.decisions"] == [3]
    assert [c.text for c in g.cells if c.role == "stub"] == ["信息内容"] * 4
    assert [c.text for c in g.cells if c.role == "caption"] == \
        ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]


def test_blank_missing_and_uncertain_cells_print_zero_and_are_named():
    r = sample_report("2021").with_cells({
        "s3.granted.research": Cell(value=0, status=Status.BLANK, raw="/"),
        "s4.review.pending": None,
        "s2.fees.amount": Cell(value=Decimal("3.5"), status=Status.UNCERTAIN)})
    lay = layout(r, findings=[])
    values = {c.key: c.text for g in lay.grids for c in g.values()}
    assert values["s3.granted.research"] == "0" and values["s4.review.pending"] == "0"
    assert values["s2.fees.amount"] == "3.5"
    notes = {n.id: n.message for n in lay.notices}
    assert "（一）予以公开" in notes["空白单元格"] and "科研机构" in notes["空白单元格"]
    assert "行政复议·尚未审结" in notes["缺失单元格"]
    assert "行政事业性收费" in notes["存疑数值"]


def test_missing_text_is_never_invented():
    r = sample_report("2021", texts=False)
    lay = layout(r, findings=[])
    assert all(s.paragraphs == () for s in lay.sections)
    assert any(n.id == "W4" for n in lay.notices)  # 六 says nothing about the 信息处理费
    assert not any("信息处理费" in p for s in lay.sections for p in s.paragraphs)


def test_template_has_no_warning_block():
    from gongkai.write import template
    lay = layout(template(2025, agency="某区某街道办事处"), template=True)
    assert lay.notices == ()
    assert lay.title == "某区某街道办事处2025年政府信息公开工作年度报告"
    assert "统计期限为2025年1月1日至2025年12月31日" in "".join(lay.preamble)


def test_mixed_report_prints_the_2019_tables_of_section_two():
    base = sample_report("2021")
    s2_2019 = {k: v for k, v in sample_report("2019-trial").cells.items() if k.startswith("s2.")}
    cells = {k: v for k, v in base.cells.items() if not k.startswith("s2.")} | s2_2019
    mixed = base.model_copy(update={"section_formats": {"s2": "2019-trial"}, "cells": cells})
    lay = layout(mixed, findings=[])
    s2 = lay.grids[0]
    assert len(s2.bands) == 5 and {c.key for c in s2.values()} == set(s2_2019)
    assert lay.grids[1].n_rows == 3 + 25  # table 三 stays 2021


def test_extra_rows_are_named_not_printed():
    from gongkai.report import ExtraRow
    r = sample_report("2021").model_copy(update={"extras": (ExtraRow(table="s3", label="法人或其他组织小计",
                                                                     kind="subtotal"),)})
    lay = layout(r, findings=[])
    assert any("法人或其他组织小计" in n.message for n in lay.notices)
    assert not any("小计" in c.text for g in lay.grids for c in g.cells)
