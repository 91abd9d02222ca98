"""Reports with errors render with a visible warning block; the CLI; the public API."""
import io
import json

import openpyxl
import pytest
from typer.testing import CliRunner

import gongkai.write as write_pkg
from gongkai.cli import app
from gongkai.errors import WriteError
from gongkai.examples import path as example_path
from gongkai.formats import get_format
from gongkai.write import TO, layout, render, write
from gongkai.write._layout import is_table_text

from .conftest import sample_report

runner = CliRunner()


def broken():
    """A report whose （七）总计 (自然人) is wrong by 5: I1, I3 and I4 fail."""
    r = sample_report("2021")
    return r.with_cells({"s3.total.natural": r.value("s3.total.natural") + 5})


@pytest.mark.parametrize("kind", ["html", "md"])
def test_errors_are_listed_and_numbers_are_not_fixed(kind):
    r = broken()
    text = render(r, kind).decode()  # the real checks run
    assert "发布前检查提示" in text
    for fid in ("I1", "I3", "I4"):
        assert f"【错误】{fid}" in text
    assert str(r.value("s3.total.natural")) in text
    assert text.index("发布前检查提示") < text.index("一、总体情况")


def test_xlsx_flat_sheet_carries_the_findings():
    wb = openpyxl.load_workbook(io.BytesIO(render(broken(), "xlsx")))
    rows = list(wb["数据"].iter_rows(values_only=True))
    assert {r[0] for r in rows if str(r[0]).startswith("finding.")} >= {"finding.I1", "finding.I3"}
    total = next(r for r in rows if r[0] == "s3.total.natural")
    assert total[2] == broken().value("s3.total.natural")


def test_valid_report_has_no_warning_block():
    assert "发布前检查提示" not in render(sample_report("2021"), "html").decode()


def test_section_six_without_fee_statement_gets_w4_not_an_amount():
    r = sample_report("2021")
    r = r.model_copy(update={"sections": tuple(s.model_copy(update={"text": "本年度无其他需要报告的事项。"})
                                               if s.number == 6 else s for s in r.sections)})
    lay = layout(r)
    assert [n for n in lay.notices if n.id == "W4"]
    six = next(s for s in lay.sections if s.number == 6)
    assert six.paragraphs == ("本年度无其他需要报告的事项。",)


@pytest.mark.parametrize(("text", "table"), [
    ("规章 | 1 | 0 | 11", True),
    ("第二十条第（一）项 信息内容 本年制发件数 本年废止件数 现行有效件数 规章000行政规范性文件8855698", True),
    ("社会法律", True),
    ("注：行政复议、行政诉讼数量含上年度结转数量。", False),
    ("本年度共收到行政复议申请3件，均已审结，未发生行政诉讼。", False),
])
def test_table_text_of_a_table_section_is_not_printed_twice(text, table):
    labels = sorted({c.label for t in get_format("2021").tables for c in t.columns}
                    | {r.label for t in get_format("2021").tables for r in t.rows}
                    | {t.caption for t in get_format("2021").tables if t.caption} | {"信息内容"}, key=len, reverse=True)
    assert is_table_text(text, labels) is table


def test_unknown_target_is_a_write_error(tmp_path):
    with pytest.raises(WriteError):
        render(sample_report("2021"), "odt")
    with pytest.raises(WriteError):
        write(sample_report("2021"), tmp_path / "report.odt")
    assert not list(tmp_path.iterdir())


def test_write_picks_the_kind_from_the_suffix(tmp_path):
    out = write(sample_report("2021"), tmp_path / "r.md")
    assert out.read_text().startswith("# 淮安市人民政府2024年")


def test_all_is_complete():
    for name in write_pkg.__all__:
        assert hasattr(write_pkg, name)
    assert set(TO) == {"docx", "pdf", "html", "md", "xlsx", "json"}


def test_cli_render_every_kind(tmp_path):
    src = tmp_path / "r.json"
    src.write_text(sample_report("2021").to_json())
    for kind in TO:
        out = tmp_path / f"out.{kind}"
        res = runner.invoke(app, ["render", str(src), "--to", kind, "-o", str(out)])
        assert res.exit_code == 0, res.output
        assert out.stat().st_size > 200
        assert "已写入" in res.output


def test_cli_render_example_to_stdout():
    res = runner.invoke(app, ["render", str(example_path("qizheng-2023")), "--to", "md", "-o", "-"])
    assert res.exit_code == 0
    assert res.output.startswith("# 南岗区七政街道办事处2023年政府信息公开工作年度报告")


def test_cli_render_report_with_errors_still_writes_and_says_so(tmp_path):
    src = tmp_path / "bad.json"
    src.write_text(broken().to_json())
    res = runner.invoke(app, ["render", str(src), "-o", str(tmp_path / "bad.html")])
    assert res.exit_code == 0
    assert "检查发现错误" in res.output
    assert "【错误】I3" in (tmp_path / "bad.html").read_text()


@pytest.mark.parametrize("args", [["render", "nope.json"], ["render", "{src}", "--to", "odt"],
                                  ["render", "{src}", "-o", "x.odt"], ["template", "--year", "3000"],
                                  ["template", "--year", "2025", "--format", "2020"]])
def test_cli_bad_input_is_one_chinese_line(args, tmp_path):
    src = tmp_path / "r.json"
    src.write_text(json.dumps({"format": "2021", "cells": {}}))
    res = runner.invoke(app, [a.format(src=src) for a in args])
    assert res.exit_code == 2
    assert "错误" in res.output and "Traceback" not in res.output


def test_cli_template_xlsx_and_docx(tmp_path):
    for kind in ("xlsx", "docx"):
        out = tmp_path / f"t.{kind}"
        res = runner.invoke(app, ["template", "--year", "2025", "--to", kind, "--agency", "某区某街道办事处",
                                  "-o", str(out)])
        assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert wb["表三 依申请公开"]["A1"].value == "某区某街道办事处2025年政府信息公开工作年度报告"
    values = [c.value for row in wb["表三 依申请公开"].iter_rows(min_row=7) for c in row if isinstance(c.value, int)]
    assert len(values) == 25 * 7 and set(values) == {0}


def test_render_many_in_processes_keeps_the_order():
    from gongkai.write import render_many
    reports = [sample_report("2021", agency=f"第{i}区人民政府") for i in range(4)]
    one = render_many(reports, "md", jobs=1, findings=[])
    two = render_many(reports, "md", jobs=2, findings=[])
    assert one == two
    assert [m.decode().splitlines()[0] for m in two] == [f"# 第{i}区人民政府2024年政府信息公开工作年度报告"
                                                         for i in range(4)]
