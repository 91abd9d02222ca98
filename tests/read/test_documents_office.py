"""DOCX and XLSX readers, and legacy formats through real LibreOffice."""
from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pytest

from gongkai.errors import CorruptDocument, UnsupportedInput
from gongkai.read import _office
from gongkai.read._docx import read_docx
from gongkai.read._xlsx import format_number, read_xlsx, sheet_blocks
from gongkai.read.blocks import Paragraph, TableBlock
from gongkai.read.registry import ReadOptions, find_reader

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import doc_fixtures as fx

import gongkai.read._readers  # noqa: F401  (registers every reader)

DOCX_GRID = (
    ("信息内容", None, "本年", None, None),
    (None, None, "制发", "废止", "现行有效"),
    ("文件", "规章", "1", "0", "11"),
    (None, "规范性文件", "8", "26", "66"),
    (None, "其他", "2", "3", "4"),
)


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return fx.docx_report()


def test_docx_merged_cells_expanded_once(docx_bytes):
    blocks = read_docx(docx_bytes, ReadOptions()).blocks
    tables = [b for b in blocks if isinstance(b, TableBlock)]
    assert tables[0].rows == DOCX_GRID
    assert tables[1].rows == (("嵌套", "5"),)  # the nested table, after the table holding it


def test_docx_body_order_layout_box_and_kangxi(docx_bytes):
    blocks = read_docx(docx_bytes, ReadOptions()).blocks
    kinds = [(type(b).__name__, b.text if isinstance(b, Paragraph) else b.width) for b in blocks]
    assert kinds == [
        ("Paragraph", "某某区人民政府2023年政府信息公开工作年度报告"), ("Paragraph", "一、总体情况"),
        ("TableBlock", 5), ("TableBlock", 2), ("Paragraph", "二、说明"),
        ("Paragraph", "六、其他需要报告的事项"), ("Paragraph", "本年度收取信息处理费0元。"),  # one-cell layout table
        ("Paragraph", "一年来工作平稳。"),  # ⼀ (U+2F00) normalised
    ]


def test_docx_vmerge_and_gridspan_from_raw_xml():
    """A table written by another word processor: gridBefore, vMerge restart/continue, gridSpan."""
    import docx

    d = docx.Document()
    t = d.add_table(rows=1, cols=1)
    tbl = t._tbl
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for tr in tbl.findall(f"{{{W}}}tr"):
        tbl.remove(tr)
    from lxml import etree

    xml = f"""<w:tbl xmlns:w="{W}"><w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>甲</w:t>
    </w:r></w:p></w:tc><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>乙</w:t></w:r></w:p></w:tc></w:tr>
    <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>
    <w:tc><w:p><w:r><w:t>2</w:t><w:br/><w:t>3</w:t></w:r></w:p></w:tc></w:tr>
    <w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:p><w:r><w:t>4</w:t></w:r></w:p></w:tc>
    <w:tc><w:p><w:r><w:t>5</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"""
    for tr in etree.fromstring(xml).findall(f"{{{W}}}tr"):
        tbl.append(tr)
    buf = io.BytesIO()
    d.save(buf)
    (table,) = [b for b in read_docx(buf.getvalue(), ReadOptions()).blocks if isinstance(b, TableBlock)]
    assert table.rows == (("甲", "乙", None), (None, "1", "2 3"), ("", "4", "5"))


def test_docx_text_box_once_hidden_text_never():
    from lxml import etree

    from gongkai.read._docx import paragraph_text

    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    p = etree.fromstring(f"""<w:p xmlns:w="{W}" xmlns:mc="{MC}"><w:pPr><w:tabs><w:tab w:val="left"/></w:tabs></w:pPr>
      <w:r><w:t>正文</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>
      <w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p>
      </w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent>
      </mc:Fallback></mc:AlternateContent></w:r><w:del><w:r><w:delText>删掉</w:delText></w:r></w:del>
      <w:moveFrom><w:r><w:t>旧位置</w:t></w:r></w:moveFrom><w:r><w:tab/><w:t>21</w:t></w:r></w:p>""")
    assert paragraph_text(p) == "正文框内 21"


def test_docx_with_a_renamed_main_part(docx_bytes):
    """Some generators name the main part differently: it is found through [Content_Types].xml."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            name = info.filename.replace("word/document.xml", "word/main.xml")
            body = body.replace(b"/word/document.xml", b"/word/main.xml").replace(b'Target="word/document.xml"',
                                                                                   b'Target="word/main.xml"')
            dst.writestr(name, body)
    data = out.getvalue()
    reader = find_reader(data, "report.bin")
    assert reader.name == "docx"
    assert next(b for b in reader.func(data, ReadOptions()).blocks if isinstance(b, TableBlock)).rows == DOCX_GRID


def test_docx_automatic_numbering_rendered():
    import docx
    from lxml import etree

    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    d = docx.Document()
    numbering = d.part.numbering_part.element
    levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
    lvl_xml = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                      f'<w:lvlText w:val="{text}"/></w:lvl>' for i, (fmt, text) in enumerate(levels))
    numbering.insert(0, etree.fromstring(f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="90">{lvl_xml}</w:abstractNum>'))
    numbering.append(etree.fromstring(f'<w:num xmlns:w="{W}" w:numId="91"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int) -> None:
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(etree.fromstring(
            f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{level}"/><w:numId w:val="91"/></w:numPr>'))

    for text, level in [("总体情况", 0), ("主动公开情况", 1), ("依申请公开情况", 1), ("第一项", 2), ("第二项", 2),
                        ("主动公开政府信息情况", 0), ("规章", 1)] + [(f"第{i}节", 0) for i in range(3, 11)]:
        numbered(text, level)
    d.add_paragraph("不编号的段落")
    buf = io.BytesIO()
    d.save(buf)
    texts = [b.text for b in read_docx(buf.getvalue(), ReadOptions()).blocks]
    assert texts[:7] == ["一、总体情况", "（一）主动公开情况", "（二）依申请公开情况", "1.第一项", "2.第二项",
                         "二、主动公开政府信息情况", "（一）规章"]
    assert texts[-2:] == ["十、第10节", "不编号的段落"]


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一"),
                                         (100, "一百"), (105, "一百零五"), (110, "一百一十")])
def test_chinese_counting(n, text):
    from gongkai.read._docx_numbering import chinese_counting

    assert chinese_counting(n) == text


def test_docx_alt_chunk_html_is_read_in_place():
    """OA systems export a page into a DOCX as an altChunk: an HTML part the body only points at."""
    import docx
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from lxml import etree

    d = docx.Document()
    d.add_paragraph("前言")
    part = Part(PackURI("/word/chunk1.htm"), "text/html", fx.html_report("utf-8"), d.part.package)
    rid = d.part.relate_to(part, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk")
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    d.element.body.insert(1, etree.fromstring(f'<w:altChunk xmlns:w="{W}" xmlns:r="{R}" r:id="{rid}"/>'))
    d.add_paragraph("结尾")
    buf = io.BytesIO()
    d.save(buf)
    blocks = read_docx(buf.getvalue(), ReadOptions()).blocks
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert texts[0] == "前言" and texts[1] == "某某区人民政府2023年政府信息公开工作年度报告" and texts[-1] == "结尾"
    assert next(b for b in blocks if isinstance(b, TableBlock)).rows[2] == ("规章", "1", "0", "11")


def test_docx_zip_bomb_refused_before_parsing():
    bomb = fx.docx_zip_bomb(600)
    assert len(bomb) < 2_000_000
    start = time.perf_counter()
    with pytest.raises(CorruptDocument, match="压缩"):
        read_docx(bomb, ReadOptions())
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.99])
def test_truncated_docx_is_corrupt(docx_bytes, keep):
    data = fx.truncated(docx_bytes, keep)
    reader = find_reader(data, "report.docx")
    with pytest.raises((CorruptDocument, UnsupportedInput)):
        reader.func(data, ReadOptions())


# --- XLSX ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def xlsx_blocks() -> list:
    return read_xlsx(fx.xlsx_report(), ReadOptions()).blocks


def test_xlsx_merged_ranges_and_numbers(xlsx_blocks):
    assert xlsx_blocks[0] == Paragraph(text="年报")
    assert xlsx_blocks[1] == Paragraph(text="某某区人民政府2023年政府信息公开工作年度报告")
    assert xlsx_blocks[2] == TableBlock(rows=(
        ("信息内容", None, "本年制发件数", "本年废止件数", "现行有效件数"),
        ("规章", None, "1", "0", "11"),
        ("行政事业性收费", None, "190.457379", "0.3", "0.0000001"),
        ("比例", "", "25%", "", ""),
    ))


def test_xlsx_prose_sheet_as_paragraphs(xlsx_blocks):
    assert xlsx_blocks[3:] == [Paragraph(text="说明"), Paragraph(text="一、总体情况"),
                               Paragraph(text="本年度工作平稳有序。")]


@pytest.mark.parametrize(("value", "text"), [
    (190.457379, "190.457379"), (12.0, "12"), (3985758, "3985758"), (96171.6, "96171.6"),
    (0.1 + 0.2, "0.3"), (-5.0, "-5"), (1e20, "100000000000000000000"), (float("nan"), ""),
])
def test_format_number(value, text):
    assert format_number(value) == text


def test_tables_split_at_blank_rows():
    grid = [["标题", ""], ["a", "1"], ["", ""], ["b", "2"], ["c", "3"]]
    assert sheet_blocks(grid) == [Paragraph(text="标题"), TableBlock(rows=(("a", "1"),)),
                                  TableBlock(rows=(("b", "2"), ("c", "3")))]


def _formula_workbook() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["项目", "自然人", "商业企业", "总计"], ["新收", 3, 4, "=SUM(B2:C2)"], ["结转", 1, "=B3*2", "=B3+C3"],
                ["合计", "=SUM(B2:B3)", "=SUM(C2,C3)", "=SUM(D2:D3)"], ["坏", "=VLOOKUP(1,A1:B2,2)", "=Sheet2!A1", "=1/0"]):
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_formulas_without_saved_results_are_computed():
    doc = read_xlsx(_formula_workbook(), ReadOptions())
    assert doc.blocks == [TableBlock(rows=(("项目", "自然人", "商业企业", "总计"), ("新收", "3", "4", "7"),
                                           ("结转", "1", "2", "3"), ("合计", "4", "6", "10"), ("坏", "", "", "")))]
    assert doc.notes == ["工作表“Sheet”的公式没有保存计算结果：已按公式算出 6 个，3 个无法计算、留空"]


def test_xlsx_saved_results_are_used_as_saved():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_formula_workbook())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename.endswith("sheet1.xml"):
                body = body.replace(b"<v></v>", b"<v>99</v>").replace(b"<v />", b"<v>99</v>")
            dst.writestr(info, body)
    doc = read_xlsx(out.getvalue(), ReadOptions())
    assert doc.blocks[0].rows[1] == ("新收", "3", "4", "99")  # as the file says, never recomputed
    assert doc.notes == []


def test_truncated_xlsx_is_corrupt():
    data = fx.truncated(fx.xlsx_report(), 0.6)
    with pytest.raises(CorruptDocument):
        read_xlsx(data, ReadOptions())


# --- LibreOffice ----------------------------------------------------------------------------------

needs_soffice = pytest.mark.skipif(_office.soffice_binary() is None, reason="LibreOffice not installed")


def _soffice_convert(data: bytes, suffix: str, target: str) -> bytes:
    return _office.convert(data, suffix=suffix, target=target, timeout=120)


@pytest.mark.slow
@needs_soffice
def test_doc_read_through_libreoffice(docx_bytes):
    doc_bytes = _soffice_convert(docx_bytes, ".docx", "doc")  # a real .doc (OLE2), made by LibreOffice
    assert doc_bytes.startswith(b"\xd0\xcf\x11\xe0")
    reader = find_reader(doc_bytes, "report.wps")
    assert reader.name == "office"
    doc = reader.func(doc_bytes, ReadOptions())
    assert doc.kind == "doc"
    tables = [b for b in doc.blocks if isinstance(b, TableBlock)]
    assert tables[0].rows == DOCX_GRID
    assert "某某区人民政府2023年政府信息公开工作年度报告" in [b.text for b in doc.blocks if isinstance(b, Paragraph)]


WORD_2003_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<?mso-application progid="Word.Document"?>
<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml"><w:body>
<w:p><w:r><w:t>某某区人民政府2023年政府信息公开工作年度报告</w:t></w:r></w:p>
<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p></w:body></w:wordDocument>"""


@pytest.mark.slow
@needs_soffice
def test_word_2003_xml_named_doc():
    data = WORD_2003_XML.encode()
    reader = find_reader(data, "report.doc")
    assert reader.name == "office"
    doc = reader.func(data, ReadOptions())
    assert [b.text for b in doc.blocks] == ["某某区人民政府2023年政府信息公开工作年度报告", "一、总体情况"]


def test_mht_web_archive_named_doc():
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    archive = MIMEMultipart("related")
    archive.attach(MIMEText(fx.HTML_REPORT.format(charset="gb2312"), "html", "gb2312"))
    data = archive.as_bytes()
    reader = find_reader(data, "report.doc")
    assert reader.name == "html"
    blocks = reader.func(data, ReadOptions()).blocks
    assert blocks[0] == Paragraph(text="某某区人民政府2023年政府信息公开工作年度报告")
    assert any(isinstance(b, TableBlock) and b.rows[2] == ("规章", "1", "0", "11") for b in blocks)


def _fake_ole(stream: str) -> bytes:
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[28:31] = b"\xfe\xff\x09"
    return bytes(header) + stream.encode("utf-16-le") + b"\x00\x00" + bytes(1000)


def test_ole2_kinds():
    from gongkai.read._sniff import ole2_kind

    assert ole2_kind(_fake_ole("WordDocument")) == "doc"
    assert ole2_kind(_fake_ole("Workbook")) == "xls"
    assert ole2_kind(_fake_ole("Nothing")) is None
    assert ole2_kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + fx.junk(600)) is None


def test_password_protected_office_file_is_refused_clearly():
    """A DOCX/XLSX with an opening password is an OLE2 file holding an EncryptedPackage stream."""
    with pytest.raises(CorruptDocument, match="加密"):
        _office.read_office(_fake_ole("EncryptedPackage"), ReadOptions())


@needs_soffice
def test_xls_without_calc_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(_office, "has_calc", lambda binary: False)
    with pytest.raises(UnsupportedInput, match="Calc"):
        _office.read_office(_fake_ole("Workbook"), ReadOptions())


@pytest.mark.slow
@needs_soffice
def test_libreoffice_timeout_kills_and_reports():
    start = time.perf_counter()
    with pytest.raises(CorruptDocument, match="超时"):
        _office.read_office(b"{\\rtf1 hello}", ReadOptions(timeout=0.2))
    assert time.perf_counter() - start < 15


@pytest.mark.slow
@needs_soffice
def test_damaged_doc_is_corrupt(docx_bytes):
    junk_ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + fx.junk(5000)
    with pytest.raises(CorruptDocument, match="复合文档"):
        _office.read_office(junk_ole, ReadOptions(timeout=60))
    doc_bytes = _soffice_convert(docx_bytes, ".docx", "doc")
    cut = doc_bytes[: len(doc_bytes) // 3]  # a real .doc, truncated: LibreOffice cannot load it
    with pytest.raises(CorruptDocument):
        _office.read_office(cut, ReadOptions(timeout=60))


def test_missing_libreoffice_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(_office, "soffice_binary", lambda: None)
    with pytest.raises(UnsupportedInput, match="LibreOffice"):
        _office.read_office(b"{\\rtf1 hello}", ReadOptions())
