"""The layout stage: the same table read whatever carries it (issue 11's examples, as printed on real pages)."""
from __future__ import annotations

import pytest

from gongkai.read import parse_bytes, parse_text
from gongkai.report import Status

HEAD = "某县某局2023年政府信息公开工作年度报告\n一、总体情况\n本年度工作情况如下。\n二、主动公开政府信息情况\n"
WANT = {"s2.rules.issued": 1, "s2.rules.repealed": 0, "s2.rules.in_force": 5,
        "s2.normative_docs.issued": 2, "s2.normative_docs.repealed": 3, "s2.normative_docs.in_force": 40}
ROWS = [["第二十条第(一)项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "1", "0", "5"], ["行政规范性文件", "2", "3", "40"]]
TAIL = "三、收到和处理政府信息公开申请情况\n本年度未收到申请。\n六、其他需要报告的事项\n无。\n"


def _pipe_rows() -> str:
    return "".join(" | ".join(r) + (" | |||" if len(r) == 1 else " |") + "\n" for r in ROWS)


def _one_cell(blank: bool) -> str:
    sep = "\n\n" if blank else "\n"
    return sep.join(c for r in ROWS for c in r) + "\n"


def _pipe_per_cell() -> str:
    return "".join((c + " |\n") for r in ROWS for c in r) + "|||\n"


def _bar_lines() -> str:
    return "".join(c + "\n|\n" for r in ROWS for c in r)


def _tabs() -> str:
    return "".join("\t".join(r) + "\n" for r in ROWS)


LAYOUTS = {"pipe-rows": _pipe_rows, "one-cell": lambda: _one_cell(False), "one-cell-blank": lambda: _one_cell(True),
           "pipe-per-cell-line": _pipe_per_cell, "bare-pipe-lines": _bar_lines, "tabs": _tabs}


def _cells(report):
    return {k: c.value for k, c in report.cells.items() if k in WANT}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_the_same_table_in_every_text_layout(layout):
    report = parse_text(HEAD + LAYOUTS[layout]() + TAIL).report
    assert _cells(report) == WANT
    assert all(report.cell(k).status is Status.OK for k in WANT)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_the_table_alone_as_the_issue_printed_it(layout):
    """Issue 11: a clean pipe table gave no cell at all, with or without the rest of the report."""
    report = parse_text("二、主动公开政府信息情况\n" + LAYOUTS[layout]()).report
    assert {k: v for k, v in _cells(report).items() if k != "s2.normative_docs.in_force"} == {
        k: v for k, v in WANT.items() if k != "s2.normative_docs.in_force"}
    # the page ends on 40: it may be cut short (400), so it is never trusted
    assert report.cell("s2.normative_docs.in_force").status is Status.UNCERTAIN


def test_traditional_with_pinyin_readings():
    text = (HEAD + _pipe_rows() + TAIL).replace("规章", "規(guī)章(zhāng)").replace("行政规范性文件", "行(xíng)政(zhèng)規(guī)範(fàn)性(xìng)文(wén)件(jiàn)")
    assert _cells(parse_text(text).report) == WANT


def test_html_source_inside_a_javascript_string():
    table = "".join("<tr>" + "".join(f'<td style=\\"width:60px\\">{c}&nbsp;</td>' for c in r) + "</tr>" for r in ROWS)
    page = ('<html><body><script type="text/javascript">var content = "<p>一、总体情况<\\/p><p>本年度工作情况如下。<\\/p>'
            f'<p>二、主动公开政府信息情况<\\/p><table>{table}<\\/table><p>三、收到和处理政府信息公开申请情况<\\/p>";'
            "document.write(content);</script></body></html>")
    for name in ("page.txt", "page.html"):
        assert _cells(parse_bytes(page.encode(), name=name).report) == WANT


def test_a_cut_row_keeps_what_it_printed_and_invents_nothing():
    text = HEAD + _pipe_rows().replace("| 2 | 3 | 40 |\n", "| 2 | 3")
    report = parse_text(text).report
    assert report.cell("s2.normative_docs.issued").value == 2
    cut = report.cell("s2.normative_docs.repealed")
    assert cut.value == 3 and cut.status is Status.UNCERTAIN  # 3 may be the start of 30
    assert report.cell("s2.normative_docs.in_force").status is Status.MISSING


def test_worded_changes_of_the_2019_trial_table():
    text = ("二、主动公开政府信息情况\n第二十条第(五)项 |\n信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n"
            "行政许可 | 10 | 减少8 | 0 |\n其他对外管理服务事项 | 4 | 增3 | 1 |\n三、收到和处理政府信息公开申请情况\n无。\n")
    report = parse_text(text).report
    assert report.value("s2.licensing.delta") == -8
    assert report.value("s2.other_services.delta") == 3
