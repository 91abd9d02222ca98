"""A text PDF whose table 三 is a pasted picture: the picture is found and OCRed, the rest read from text."""
from __future__ import annotations

import base64
import io
import re

import pypdfium2 as pdfium
import pytest
import weasyprint

from gongkai import examples
from gongkai.read import parse_bytes
from gongkai.read.registry import ReadOptions
from gongkai.report import Report, Status
from gongkai.write import render

from .test_documents_roundtrip import _nonzero

_TABLE_S3 = re.compile(r'<div class="gk-table-wrap gk-wrap-s3">.*?</table>\s*</div>', re.DOTALL)


def _table_png(head: str, table: str) -> bytes:
    """Table 三 alone, drawn by WeasyPrint and rasterised at 150 dpi: the clerk's screenshot."""
    page = f"<html>{head}<body style='margin:0'>{table}</body></html>"
    page = page.replace("</head>", "<style>@page { size: 190mm 250mm; margin: 4mm }</style></head>")
    pdf = pdfium.PdfDocument(weasyprint.HTML(string=page).write_pdf())
    try:
        assert len(pdf) == 1, "table 三 must fit on one page to be one picture"
        image = pdf[0].render(scale=150 / 72).to_pil().convert("L")
    finally:
        pdf.close()
    box = image.point(lambda v: 255 if v < 200 else 0).getbbox()
    image = image.crop((max(box[0] - 6, 0), max(box[1] - 6, 0), box[2] + 6, box[3] + 6))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def pasted() -> tuple[Report, bytes]:
    source = _nonzero(Report.load(examples.path("qizheng-2023")))
    html = render(source, "html").decode()
    match = _TABLE_S3.search(html)
    assert match, "the writer's table 三 markup changed"
    head = html[html.index("<head"):html.index("</head>") + len("</head>")]
    png = base64.b64encode(_table_png(head, match.group(0))).decode()
    img = f'<p><img src="data:image/png;base64,{png}" style="width:170mm"></p>'
    pdf = weasyprint.HTML(string=html[:match.start()] + img + html[match.end():]).write_pdf()
    return source, pdf


def test_image_table_is_ocred_and_text_still_read(pasted):
    source, pdf = pasted
    result = parse_bytes(pdf, name="x.pdf")
    cells = result.report.cells
    s3 = {k: c for k, c in source.cells.items() if k.startswith("s3.")}
    wrong = {k: (cells[k].value, c.value) for k, c in s3.items()
             if k in cells and cells[k].value != c.value and cells[k].status not in (Status.UNCERTAIN, Status.MISSING)}
    assert not wrong, f"silently wrong table 三 cells: {wrong}"
    right = sum(1 for k, c in s3.items() if k in cells and cells[k].value == c.value)
    assert right >= 0.9 * len(s3), f"only {right} of {len(s3)} table 三 cells read"
    # the text layer parts: tables 二 and 四 are real text, read exactly
    others = {k: c for k, c in source.cells.items() if k.startswith(("s2.", "s4."))}
    assert all(cells[k].value == c.value for k, c in others.items())
    assert result.report.metadata.agency == source.metadata.agency
    assert any("图片" in n and "OCR 识别" in n for n in result.notes)


def test_image_table_with_ocr_never_is_noted(pasted):
    from gongkai.read._pdf import read_pdf

    _source, pdf = pasted
    document = read_pdf(pdf, ReadOptions(ocr="never"))
    assert any("图片" in n and "未读取" in n for n in document.notes)
    text = "".join(getattr(b, "text", "") for b in document.blocks)
    assert "主动公开政府信息情况" in text and "政府信息公开行政复议" in text.replace("、", "")
