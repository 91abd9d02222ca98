"""Write → read: the example report rendered by gongkai's writer in every document format reads back whole.

This runs every stage after the reader too (``gongkai.read.parse_bytes``), so a failure here may be in
the reader or in a shared stage; the reader-level tests in the other files tell which.
"""
from __future__ import annotations

import pytest

from gongkai import examples
from gongkai.read import parse_bytes
from gongkai.read.blocks import TableBlock
from gongkai.read.registry import ReadOptions, find_reader
from gongkai.report import Report
from gongkai.write import render

OPTIONS = ReadOptions(ocr="never")


@pytest.fixture(scope="module")
def report() -> Report:
    return examples.load("qizheng-2023")


def _nonzero(report: Report) -> Report:
    """The example with distinct non-zero values that keep the identities (I1, I3, I4, I5) true."""
    from gongkai.formats import get_format

    fmt = get_format(report.format)
    cols = ["natural", "commercial", "research", "social_welfare", "legal_service", "other_org"]
    values: dict[str, int] = {}
    for i, leaf in enumerate(fmt.s3_leaves()):
        for j, col in enumerate(cols):
            values[f"s3.{leaf}.{col}"] = (3 * i + 5 * j) % 11
    for j, col in enumerate(cols):
        values[f"s3.total.{col}"] = sum(values[f"s3.{leaf}.{col}"] for leaf in fmt.s3_leaves())
        values[f"s3.carried_over.{col}"] = j + 1
        values[f"s3.carry_forward.{col}"] = 2 * j + 3
        values[f"s3.new.{col}"] = values[f"s3.total.{col}"] + 2 * j + 3 - (j + 1)
    for row in ["new", "carried_over", "total", "carry_forward", *fmt.s3_leaves()]:
        values[f"s3.{row}.total"] = sum(values[f"s3.{row}.{c}"] for c in cols)
    for g, group in enumerate(["review", "litigation_direct", "litigation_after_review"]):
        parts = {"upheld": 7 + g, "corrected": 2 + g, "other": 4 * g + 1, "pending": g}
        values.update({f"s4.{group}.{k}": v for k, v in parts.items()})
        values[f"s4.{group}.total"] = sum(parts.values())
    for i, key in enumerate(k for k in sorted(report.cells) if k.startswith("s2.") and k != "s2.fees.amount"):
        values[key] = 10 * i + 3
    assert set(values) <= set(report.cells)
    return report.with_cells(values)


@pytest.mark.parametrize("kind", ["html", "docx", "xlsx", pytest.param("pdf", marks=pytest.mark.slow)])
def test_rendered_report_reads_back(report, kind):
    source = _nonzero(report)
    data = render(source, kind)
    reader = find_reader(data, f"report.{kind}")
    assert reader is not None and reader.name == kind
    document = reader.func(data, OPTIONS)
    assert sum(isinstance(b, TableBlock) for b in document.blocks) >= 3
    result = parse_bytes(data, name=f"report.{kind}", options=OPTIONS)
    want = {k: c.value for k, c in source.cells.items()}
    got = {k: c.value for k, c in result.report.cells.items()}
    wrong = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
    assert not wrong


RULINGS = {
    "borderless": "td, th { border: none !important }",
    "rows-only": "td, th { border-left: none !important; border-right: none !important }"
                 " table { border: 1px solid black !important }"
                 " td:first-child { border-right: 1px solid black !important }",
}


@pytest.mark.slow
@pytest.mark.parametrize("style", sorted(RULINGS))
def test_pdf_tables_without_all_their_rulings(report, style):
    """Tables missing their column rulings are read as text lines, which keep the columns apart."""
    import weasyprint

    source = _nonzero(report)
    page = render(source, "html").decode().replace("</head>", f"<style>{RULINGS[style]}</style></head>")
    data = weasyprint.HTML(string=page).write_pdf()
    result = parse_bytes(data, name="report.pdf", options=OPTIONS)
    want = {k: c.value for k, c in source.cells.items()}
    got = {k: c.value for k, c in result.report.cells.items()}
    assert {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v} == {}


@pytest.mark.slow
def test_legacy_doc_reads_back(report):
    """DOCX → .doc (a real Word 97 file, written by LibreOffice) → read through LibreOffice again."""
    from gongkai.read import _office

    if _office.soffice_binary() is None:
        pytest.skip("LibreOffice not installed")
    source = _nonzero(report)
    doc = _office.convert(render(source, "docx"), suffix=".docx", target="doc", timeout=120)
    result = parse_bytes(doc, name="report.wps", options=OPTIONS)
    assert result.kind == "doc"
    want = {k: c.value for k, c in source.cells.items()}
    got = {k: c.value for k, c in result.report.cells.items()}
    assert {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v} == {}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["report.xls", "report.et", "report.ods"])
def test_legacy_spreadsheets_read_back(report, name):
    """XLSX → .xls / .ods (written by LibreOffice Calc) → read through LibreOffice again; WPS's .et is an .xls."""
    from gongkai.read import _office

    binary = _office.soffice_binary()
    if binary is None or not _office.has_calc(binary):
        pytest.skip("LibreOffice Calc not installed")
    source = _nonzero(report)
    target = "ods" if name.endswith(".ods") else "xls"
    data = _office.convert(render(source, "xlsx"), suffix=".xlsx", target=target, timeout=120)
    result = parse_bytes(data, name=name, options=OPTIONS)
    assert result.kind == "xlsx"
    want = {k: c.value for k, c in source.cells.items()}
    got = {k: c.value for k, c in result.report.cells.items()}
    assert {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v} == {}
