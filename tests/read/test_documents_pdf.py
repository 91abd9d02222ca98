"""The PDF reader on real reports (the dev corpus) and on generated PDFs."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from gongkai.errors import CorruptDocument, NeedsOCR
from gongkai.read import _pdf
from gongkai.read._cjk import normalize_cjk
from gongkai.read._pdf_layout import Char, Line, PageContent
from gongkai.read.blocks import Paragraph, TableBlock
from gongkai.read.limits import current
from gongkai.read.registry import ReadOptions

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import doc_fixtures as fx

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev"  # shared/ beside the checkout
CORPUS_PDFS = sorted(CORPUS.glob("huaian-*.pdf")) if CORPUS.is_dir() else []
NUMBER = re.compile(r"^\d+(\.\d+)?$")
S3_COLS = ["natural", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"]

needs_corpus = pytest.mark.skipif(not CORPUS_PDFS, reason="dev corpus not present")


def _num(text: str) -> float:
    return float(text)


def _read(data: bytes, **kw) -> list:
    return _pdf.read_pdf(data, ReadOptions(**kw)).blocks


def _s3_table(blocks: list) -> TableBlock:
    (table,) = [b for b in blocks if isinstance(b, TableBlock) and any("总计" in (c or "") for r in b.rows for c in r)
                and b.width == 10]
    return table


@pytest.fixture(scope="module", params=CORPUS_PDFS, ids=lambda p: p.stem)
def corpus_pdf(request):
    path = request.param
    expected = json.loads(path.with_suffix("").with_suffix(".expected.json").read_text(encoding="utf-8"))
    return _read(path.read_bytes()), expected["cells"]


@needs_corpus
def test_table_three_is_one_block_across_the_page_break(corpus_pdf):
    blocks, _ = corpus_pdf
    table = _s3_table(blocks)
    assert len(set(table.pages)) == 2, "table 三 continues on the next page and is stitched into one block"
    assert len(table.pages) == len(table.rows)


@needs_corpus
def test_every_number_of_table_three_in_its_row_and_column(corpus_pdf):
    blocks, cells = corpus_pdf
    table = _s3_table(blocks)
    data_rows = [r[-7:] for r in table.rows if all(c and NUMBER.match(c) for c in r[-7:])]
    row_keys = list(dict.fromkeys(k.rsplit(".", 1)[0] for k in cells if k.startswith("s3.")))
    assert len(data_rows) == len(row_keys)
    for key, row in zip(row_keys, data_rows, strict=True):
        assert [_num(v) for v in row] == [cells[f"{key}.{c}"] for c in S3_COLS], key


@needs_corpus
def test_sections_two_and_four_numbers_in_order(corpus_pdf):
    blocks, cells = corpus_pdf
    tables = [b for b in blocks if isinstance(b, TableBlock)]
    s3 = _s3_table(blocks)
    before = tables[: tables.index(s3)]
    s2_numbers = [_num(c) for t in before for r in t.rows for c in r if c and NUMBER.match(c)]
    assert s2_numbers == [cells[k] for k in cells if k.startswith("s2.")]
    s4_rows = [r for t in tables[tables.index(s3) + 1:] for r in t.rows
               if sum(1 for c in r if c and NUMBER.match(c)) == 15]
    assert [_num(c) for c in s4_rows[0]] == [cells[k] for k in cells if k.startswith("s4.")]


@needs_corpus
def test_wrapped_labels_and_cut_group_labels_are_whole(corpus_pdf):
    blocks, _ = corpus_pdf
    labels = {c for r in _s3_table(blocks).rows for c in r if c}
    assert "（四）无法提供" in labels  # huaian-city-2024 prints 无 | 法提供 on two pages
    assert "三、本年度办理结果" in labels  # written vertically, one glyph per line
    assert any(lbl.startswith("（二）部分公开") and lbl.endswith("计其他情形）") for lbl in labels)


@needs_corpus
def test_page_footers_dropped(corpus_pdf):
    blocks, _ = corpus_pdf
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert not [t for t in texts if re.fullmatch(r"[-—\s]*\d+[-—\s]*", t)]
    assert any("政府信息公开工作年度报告" in t for t in texts)


# --- generated PDFs -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def generated() -> list:
    return _read(fx.pdf_report())


def test_generated_table_stitched_with_header_once(generated):
    tables = [b for b in generated if isinstance(b, TableBlock)]
    assert len(tables) == 1
    table = tables[0]
    assert set(table.pages) == {1, 2}
    assert len(table.rows) == 2 + len(fx.ROWS_S3)
    assert table.rows[0] == ("项目", "申请人情况", None, None, None, None, None, "总计")
    assert table.rows[1][0] is None and table.rows[1][-1] is None
    for (label, values), row in zip(fx.ROWS_S3, table.rows[2:], strict=True):
        assert row == (label, *(str(v) for v in values))


def test_generated_footers_dropped_and_kangxi_normalised(generated):
    texts = [b.text for b in generated if isinstance(b, Paragraph)]
    assert "一、总体情况。本年度共受理申请21件。" in texts  # printed with U+2F00 ⼀
    assert not [t for t in texts if "—" in t]
    assert texts[-1] == "五、存在的主要问题及改进情况"


def test_normalize_cjk_maps_radicals_and_compatibility_ideographs_only():
    assert normalize_cjk("⼀⼆⼋\u2f08") == "一二八人"
    assert normalize_cjk("\uf900") == "豈"
    assert normalize_cjk("（一）Ａ１") == "（一）Ａ１"  # full-width forms are left to the shared normaliser


@pytest.mark.parametrize(("text", "furniture"), [
    ("— 3 —", True), ("-3-", True), ("- 12 -", True), ("第3页 共5页", True), ("第 3 页", True), ("3 / 5", True),
    ("3", True), ("2023年", False), ("（三）政府信息管理情况", False), ("21 0 0 0 0 0 21", False),
])
def test_page_number_lines(text, furniture):
    page = PageContent(number=1, width=595, height=842)
    footer = Line(top=800, bottom=810, x0=280, x1=320, text=text, segments=[])
    body = Line(top=400, bottom=410, x0=280, x1=320, text=text, segments=[])
    assert _pdf._is_furniture(footer, page) is furniture
    assert _pdf._is_furniture(body, page) is False


def test_cut_span_continues_on_the_next_page():
    prev = [[None, "（四）无", "1.本机关不掌握相关政府信息", "746"]]
    nxt = [["", "法提供", "2.没有现成信息需要另行制作", "11"], [None, None, "3.补正后申请内容仍不明确", "1"]]
    _pdf._continue_spans(prev, nxt)
    assert prev[0][1] == "（四）无法提供"
    assert nxt[0][:2] == [None, None]


def test_new_group_at_the_top_of_a_page_is_not_glued_to_the_last():
    prev = [["", "（四）无法提供", "3.补正后申请内容仍不明确", "0"]]
    nxt = [[None, "（五）不予处理", "1.信访举报投诉类申请", "1"], [None, None, "2.重复申请", "0"]]
    _pdf._continue_spans(prev, nxt)
    assert prev[0][1] == "（四）无法提供"
    assert nxt[0][1] == "（五）不予处理"


@pytest.mark.parametrize("degrees", [-90, 90])
def test_text_turned_on_the_page_reads_upright(degrees):
    blocks = _read(fx.landscape_pdf(degrees))
    assert blocks[0] == Paragraph(text="三、收到和处理政府信息公开申请情况", page=1)
    assert blocks[1].rows == (("项目", "自然人", "总计"), ("一、本年新收", "21", "21"), ("二、上年结转", "3", "3"))


def test_wrapped_prose_reflowed_into_paragraphs():
    blocks = _read(fx.prose_pdf())
    assert [b.text for b in blocks] == fx.PROSE


@needs_corpus
def test_corpus_paragraph_continues_across_the_page_break():
    blocks = _read((CORPUS / "huaian-hongze-2023.pdf").read_bytes())
    (para,) = [b for b in blocks if isinstance(b, Paragraph) and b.text.startswith("加强区政府门户网站")]
    assert para.page == 1 and para.text.endswith("未经审核的信息一律不准发布。")


def test_slanted_watermark_dropped():
    blocks = _read(fx.watermarked_pdf())
    assert blocks == [Paragraph(text="二、主动公开政府信息情况", page=1),
                      TableBlock(rows=(("信息内容", "本年制发件数"), ("规章", "1"), ("行政规范性文件", "8")), page=1)]


def test_page_with_a_rotate_entry_reads_its_content(generated):
    import io

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(fx.pdf_report())
    for page in pdf:
        page.set_rotation(90)
    buf = io.BytesIO()
    pdf.save(buf)
    assert _read(buf.getvalue()) == generated  # same blocks, footers still recognised in the margins


# --- encryption, damage, scans ---------------------------------------------------------------------

def test_text_of_a_plain_pdf():
    assert [b.text for b in _read(fx.simple_pdf())] == ["Annual report 2023: 21 applications"]


def test_pdf_behind_a_few_junk_bytes():
    import gongkai.read._readers  # noqa: F401
    from gongkai.read.registry import find_reader

    data = b"\r\n\r\n" + fx.simple_pdf()
    reader = find_reader(data, "download.php")
    assert reader.name == "pdf"
    assert [b.text for b in reader.func(data, ReadOptions()).blocks] == ["Annual report 2023: 21 applications"]


def test_encrypted_with_empty_user_password_opens():
    assert [b.text for b in _read(fx.simple_pdf(user_password=""))] == ["Annual report 2023: 21 applications"]


def test_encrypted_with_a_password_is_refused_clearly():
    with pytest.raises(CorruptDocument, match="加密"):
        _read(fx.simple_pdf(user_password="secret"))


@pytest.mark.parametrize("keep", [0.05, 0.3, 0.6, 0.9])
def test_truncated_pdf_is_corrupt(keep):
    data = fx.truncated(fx.simple_pdf(), keep)
    with pytest.raises(CorruptDocument):
        _read(data)


def test_truncated_real_pdf_never_crashes():
    data = fx.pdf_report()
    for keep in (0.1, 0.5, 0.8, 0.97, 0.999):
        try:
            blocks = _read(fx.truncated(data, keep))
        except CorruptDocument:
            continue
        assert isinstance(blocks, list)  # pdfium may recover part of a damaged file: that is fine


@pytest.fixture(scope="module")
def scan() -> bytes:
    return fx.image_only_pdf()


def test_image_only_pdf_needs_ocr_when_ocr_is_off(scan):
    with pytest.raises(NeedsOCR, match="OCR"):
        _read(scan, ocr="never")


def test_image_only_pdf_needs_ocr_without_an_ocr_module(scan, monkeypatch):
    monkeypatch.setattr(_pdf, "_ocr_hook", lambda: None)
    with pytest.raises(NeedsOCR):
        _read(scan)


def test_text_drawn_as_outlines_goes_to_ocr(monkeypatch):
    glyphs = " ".join(f"{60 + (i % 40) * 12} {700 - (i // 40) * 20} m {66 + (i % 40) * 12} {708 - (i // 40) * 20} "
                      f"{70 + (i % 40) * 12} {700 - (i // 40) * 20} c f" for i in range(400))
    data = fx.raw_pdf([b"BT /F1 12 Tf 72 700 Td (a page with text) Tj ET", glyphs.encode()])
    calls = []
    monkeypatch.setattr(_pdf, "_ocr_hook", lambda: lambda d, pages, options: calls.append(pages) or [])
    _pdf.read_pdf(data, ReadOptions())
    assert calls == [[2]]


def test_an_ocr_crash_is_an_ocr_error_not_a_damaged_pdf(scan, monkeypatch):
    from gongkai.errors import ReadError

    def broken(data, pages, options):
        raise RuntimeError("model missing")

    monkeypatch.setattr(_pdf, "_ocr_hook", lambda: broken)
    with pytest.raises(ReadError, match="OCR 识别失败") as err:
        _pdf.read_pdf(scan, ReadOptions())
    assert not isinstance(err.value, CorruptDocument)


def test_image_only_pdf_goes_to_the_ocr_hook(scan, monkeypatch):
    calls = []

    def fake_ocr(data, pages, options):
        calls.append(pages)
        return [Paragraph(text="识别的文字", page=1)]

    monkeypatch.setattr(_pdf, "_ocr_hook", lambda: fake_ocr)
    doc = _pdf.read_pdf(scan, ReadOptions())
    assert calls == [[1]]
    assert doc.kind == "ocr"
    assert [b.text for b in doc.blocks] == ["识别的文字"]


@pytest.mark.parametrize("n", [30, 44])
def test_a_page_full_of_rulings_is_not_a_trap(n):
    import time

    start = time.perf_counter()
    blocks = _read(fx.crosses_pdf(n))
    assert time.perf_counter() - start < 10
    assert not [b for b in blocks if isinstance(b, TableBlock)]


def test_page_limit():
    pages = current().pages
    doc = _pdf.read_pdf(fx.many_pages_pdf(pages + 5), ReadOptions())
    assert doc.pages == pages
    assert any("只读取了前" in n for n in doc.notes)
    assert len(doc.blocks) == pages


def test_time_budget():
    with pytest.raises(CorruptDocument, match="过于复杂"):
        _pdf.read_pdf(fx.many_pages_pdf(50), ReadOptions(timeout=0.0))


def _page(n: int, *, chars: int = 0, undecodable: int = 0, image: bool = False) -> PageContent:
    page = PageContent(number=n, width=595, height=842, image_area=595 * 842 if image else 0.0,
                       undecodable=undecodable)
    page.chars = [Char("字", 10 + i, 100, 20 + i, 110) for i in range(chars)]
    return page


def test_garbled_text_layer_is_recognised():
    assert _page(1, chars=5, undecodable=200).garbled
    assert not _page(1, chars=500, undecodable=30).garbled
    assert not _page(1, chars=0, undecodable=5).garbled


def test_garbled_pages_go_to_ocr(monkeypatch):
    pages = [_page(1, chars=300), _page(2, chars=5, undecodable=300), _page(3, image=True)]
    monkeypatch.setattr(_pdf, "_open", lambda data: _FakeDoc(len(pages)))
    monkeypatch.setattr(_pdf, "extract_page", lambda page, number: pages[number - 1])
    calls = []
    monkeypatch.setattr(_pdf, "_ocr_hook", lambda: lambda data, numbers, options: calls.append(numbers) or [])
    doc = _pdf.read_pdf(b"%PDF-1.4 fake", ReadOptions())
    assert calls == [[2, 3]]
    assert {b.page for b in doc.blocks} == {1}
    monkeypatch.setattr(_pdf, "_ocr_hook", lambda: None)
    doc = _pdf.read_pdf(b"%PDF-1.4 fake", ReadOptions())
    assert any("无法解码" in n for n in doc.notes) and any("第3页" in n for n in doc.notes)
    pages[0] = _page(1, undecodable=400)
    with pytest.raises(NeedsOCR, match="无法解码"):
        _pdf.read_pdf(b"%PDF-1.4 fake", ReadOptions())


class _FakeDoc:
    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int):
        return _FakePage()

    def close(self) -> None:
        pass


class _FakePage:
    def close(self) -> None:
        pass


@pytest.mark.parametrize(("text", "under"), [
    ("21 0 0 0 0 0 21", True), ("2 1 0", True), ("1.属于国家秘密", False), ("第二十条第（一）项", False),
    ("7730.28", False), ("（国令第 711 号）", False), ("2023 年 1 月", False),
    ("2023 年 1 月 1 日至 2023 年 12 月 31 日", False), ("一、本年新收 104 111 107 114 110 117 663", True),
])
def test_a_cell_with_several_numbers_means_missing_rulings(text, under):
    from gongkai.read._pdf_layout import _under_ruled

    assert _under_ruled(text) is under
