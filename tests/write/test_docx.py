"""DOCX as a clerk hands it in: read back with python-docx, the table grid checked through the XML."""
import io
import shutil
import subprocess
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm

from gongkai.checks import Finding, Level
from gongkai.formats import get_format
from gongkai.write import layout, render

from .conftest import sample_report


def docx_grid(table) -> list[list[tuple[str, int, int]]]:
    """The table as (text, rowspan, colspan) at each origin, ``None`` where a span extends; from the XML."""
    tbl = table._tbl
    rows = tbl.findall(qn("w:tr"))
    n_cols = len(tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol")))
    grid: list[list] = [[None] * n_cols for _ in rows]
    open_v: dict[int, tuple[int, int]] = {}  # column -> (origin row, origin col) of a vertical merge
    spans: dict[tuple[int, int], list] = {}
    for r, tr in enumerate(rows):
        col = 0
        for tc in tr.findall(qn("w:tc")):
            pr = tc.find(qn("w:tcPr"))
            span_el = pr.find(qn("w:gridSpan")) if pr is not None else None
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            vm = pr.find(qn("w:vMerge")) if pr is not None else None
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            if vm is not None and vm.get(qn("w:val")) != "restart":
                origin = open_v[col]
                spans[origin][1] += 1
                assert text == ""
            else:
                spans[(r, col)] = [text, 1, span]
                grid[r][col] = spans[(r, col)]
                if vm is not None:
                    open_v[col] = (r, col)
            col += span
        assert col == n_cols, f"row {r} covers {col} of {n_cols} grid columns"
    return [[tuple(x) if x is not None else None for x in row] for row in grid]


def _open(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def test_docx_tables_are_the_template_grid(report):
    data = render(report, "docx", findings=[])
    doc = _open(data)
    assert len(doc.tables) == 3
    lay = layout(report, findings=[])
    for table, grid in zip(doc.tables, lay.grids, strict=True):
        got = docx_grid(table)
        assert len(got) == grid.n_rows and len(got[0]) == grid.n_cols
        want = {(c.row, c.col): (c.text, c.rowspan, c.colspan) for c in grid.cells}
        have = {(r, k): v for r, row in enumerate(got) for k, v in enumerate(row) if v is not None}
        assert have == want


def test_docx_labels_and_numbers_read_back_with_python_docx():
    r = sample_report("2021")
    doc = _open(render(r, "docx", findings=[]))
    s3 = doc.tables[1]
    fmt = get_format("2021")
    texts = {c.text for row in s3.rows for c in row.cells}
    for row in fmt.s3.rows:
        assert row.label in texts
    for col in fmt.s3.columns:
        assert col.label in texts
    assert fmt.s3.note in texts
    # every value cell is filled; the natural-person column of 一、本年新收 holds the report's number
    first = [c.text for c in s3.rows[3].cells]
    assert first[0] == fmt.s3.row("new").label
    assert first[3] == str(r.value("s3.new.natural"))
    assert all(t != "" for t in first[3:])
    s2 = doc.tables[0]
    assert s2.rows[0].cells[0].text == "第二十条第（一）项"
    fee_row = [c.text for c in s2.rows[-1].cells]
    assert fee_row == ["行政事业性收费", "12.345678", "12.345678", "12.345678"]  # one cell spanning three


def test_docx_page_faces_and_headings():
    r = sample_report("2021")
    doc = _open(render(r, "docx", findings=[]))
    sec = doc.sections[0]
    assert abs(sec.page_width - Cm(21)) < Cm(0.05) and abs(sec.page_height - Cm(29.7)) < Cm(0.05)
    paras = [p for p in doc.paragraphs if p.text]
    assert paras[0].text == "淮安市人民政府2024年政府信息公开工作年度报告"
    assert paras[0].style.name == "Title"
    rfonts = paras[0].style.element.rPr.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    normal = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "仿宋"
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [s.heading for s in get_format("2021").sections]
    footer = doc.sections[0].footer.paragraphs[0]
    assert footer.text.startswith("— ") and footer._p.find(qn("w:fldSimple")).get(qn("w:instr")).strip() == "PAGE"
    # header rows of 三 and 四 repeat on each page
    for t in doc.tables[1:]:
        flags = [tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None for tr in t._tbl.findall(qn("w:tr"))]
        assert flags[:3] == [True, True, True] and not any(flags[3:])


def test_docx_warning_block_lists_findings_and_keeps_numbers():
    r = sample_report("2021").with_cells({"s3.total.natural": 999})
    f = Finding(id="I3", level=Level.ERROR, message="（七）总计（自然人）999 ≠ 各办理结果之和", cells=("s3.total.natural",))
    doc = _open(render(r, "docx", findings=[f]))
    texts = [p.text for p in doc.paragraphs]
    assert any("发布前检查提示" in t for t in texts[:3])
    assert "【错误】I3：（七）总计（自然人）999 ≠ 各办理结果之和" in texts
    total_row = next(row for row in doc.tables[1].rows if row.cells[1].text == "（七）总计")
    assert total_row.cells[3].text == "999"


def test_docx_missing_text_is_an_empty_paragraph():
    doc = _open(render(sample_report("2021", texts=False), "docx", findings=[]))
    paras = doc.paragraphs
    i = next(i for i, p in enumerate(paras) if p.text == "一、总体情况")
    assert paras[i + 1].text == "" and paras[i + 2].text == "二、主动公开政府信息情况"


def test_docx_is_a_valid_package():
    data = render(sample_report("2019-trial"), "docx", findings=[])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        assert "word/document.xml" in z.namelist()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_docx_opens_in_libreoffice(tmp_path):
    from gongkai.write._pdf import render_pdf_libreoffice
    pdf = render_pdf_libreoffice(render(sample_report("2021"), "docx", findings=[]))
    (tmp_path / "lo.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "lo.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    for label in ("申请人情况", "法人或其他组织", "1.属于国家秘密", "未经复议直接起诉", "第二十条第（八）项"):
        assert label in text.replace(" ", "")
