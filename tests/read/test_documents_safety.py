"""Bad input never crashes, hangs or exhausts memory: it gets a clear (Chinese) error."""
from __future__ import annotations

import random
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.errors import CorruptDocument, GongkaiError, InputError, NeedsOCR, NotAReport, ReadError, UnsupportedInput
from gongkai.read import _sniff
from gongkai.read._html import html_to_blocks
from gongkai.read._sniff import check_bytes, check_zip, read_path_safely, sniff
from gongkai.read.blocks import Paragraph
from gongkai.read.limits import Limits
from gongkai.read.registry import ReadOptions, find_reader

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import doc_fixtures as fx

import gongkai.read._readers  # noqa: F401  (registers every reader)

NO_OCR = ReadOptions(ocr="never", timeout=30)
CJK_MESSAGE = "[\u4e00-\u9fff]"


def _read(data: bytes, name: str | None = None, options: ReadOptions = NO_OCR):
    reader = find_reader(data, name)
    if reader is None:
        raise UnsupportedInput("no reader")
    return reader.func(data, options)


# --- files on disk ---------------------------------------------------------------------------------

def test_empty_file(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"")
    with pytest.raises(CorruptDocument, match="为空"):
        read_path_safely(path, ReadOptions())
    with pytest.raises(CorruptDocument, match="为空"):
        check_bytes(b"", ReadOptions())


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="不存在"):
        read_path_safely(tmp_path / "nope.docx", ReadOptions())
    with pytest.raises(InputError, match="不是普通文件"):
        read_path_safely(tmp_path, ReadOptions())


def test_oversized_file_refused_before_reading(tmp_path):
    path = tmp_path / "huge.pdf"
    fx.big_file(path, 200 * 1024 * 1024)
    tracemalloc.start()
    try:
        with pytest.raises(CorruptDocument, match="文件过大"):
            read_path_safely(path, ReadOptions(max_bytes=100 * 1024 * 1024))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024, "the size is checked from os.stat, nothing is read"


@pytest.mark.slow
def test_200_mb_file_under_the_limit_is_read_and_refused_quickly(tmp_path):
    path = tmp_path / "report.docx"
    fx.big_file(path, 200 * 1024 * 1024)  # 200 MB of zero bytes: not a document
    start = time.perf_counter()
    data = read_path_safely(path, ReadOptions())
    assert len(data) == 200 * 1024 * 1024
    with pytest.raises(UnsupportedInput, match="无法识别"):
        _read(data, str(path))
    del data
    assert time.perf_counter() - start < 20


def test_oversized_bytes_refused_by_every_reader():
    small = ReadOptions(max_bytes=1000, ocr="never")
    for data in (fx.simple_pdf(), fx.docx_report(), fx.xlsx_report(), fx.html_report(), fx.png_image()):
        data = data + b"\0" * 1000 if len(data) <= 1000 else data
        with pytest.raises(CorruptDocument, match="文件过大"):
            _read(data, None, small)


# --- content -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "kind"), [
    (fx.simple_pdf(), "pdf"), (fx.html_report(), "html"), (fx.png_image(), "image"), (fx.junk(), "binary"),
    ("政府信息公开工作年度报告\n一、总体情况".encode("gb18030"), "text"), (b"{\\rtf1 x}", "rtf"),
])
def test_sniff(data, kind):
    assert sniff(data) == kind


def test_sniff_containers():
    assert sniff(fx.docx_report()) == "docx"
    assert sniff(fx.xlsx_report()) == "xlsx"


def test_binary_junk_is_unsupported_with_a_clear_message():
    with pytest.raises(UnsupportedInput, match=CJK_MESSAGE) as err:
        _read(fx.junk(), "report.pdf")
    assert "无法识别" in str(err.value)


def test_plain_zip_and_broken_zip():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "hello")
    with pytest.raises(UnsupportedInput, match="压缩包"):
        _read(buf.getvalue(), "a.zip")
    with pytest.raises(CorruptDocument, match="不完整"):
        _read(fx.truncated(fx.docx_report(), 0.5), "report.docx")


def test_zip_bomb_refused_through_the_registry():
    bomb = fx.docx_zip_bomb(600)
    with pytest.raises(CorruptDocument, match="压缩"):
        _read(bomb, "report.docx")
    with pytest.raises(CorruptDocument, match="解压后总大小"):
        check_zip(fx.docx_report(), Limits(zip_total_bytes=1000))


def test_image_needs_ocr_when_ocr_is_off_or_missing(monkeypatch):
    with pytest.raises(NeedsOCR, match="OCR"):
        _read(fx.png_image(), "scan.png")
    monkeypatch.setattr(_sniff, "_ocr_image_hook", lambda: None)
    with pytest.raises(NeedsOCR, match="OCR"):
        _read(fx.png_image(), "scan.png", ReadOptions())


def test_image_goes_to_the_ocr_hook(monkeypatch):
    from gongkai.read.registry import Document

    monkeypatch.setattr(_sniff, "_ocr_image_hook",
                        lambda: lambda data, options: Document([Paragraph(text="识别")], kind="ocr"))
    assert _read(fx.png_image(), "scan.png", ReadOptions()).kind == "ocr"


def test_deeply_nested_html_does_not_crash():
    page = "<html><body>" + "<div>" * 50000 + "深处" + "</div>" * 50000 + "</body></html>"
    try:
        blocks = html_to_blocks(page)
    except CorruptDocument:
        return
    assert isinstance(blocks, list)


@pytest.mark.parametrize("prefix", [b"%PDF-1.7\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
                                    b"\x89PNG\r\n\x1a\n", b"<html><body>", b"\xff\xd8\xff"])
def test_junk_behind_every_magic_gives_a_read_error(prefix):
    rnd = random.Random(prefix)
    for _ in range(5):
        data = prefix + bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 4000)))
        try:
            _read(data, None)
        except ReadError as exc:
            assert str(exc)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.sampled_from([None, "r.pdf", "r.docx", "r.xlsx", "r.html", "r.txt"]))
def test_arbitrary_bytes_never_escape_as_anything_but_a_gongkai_error(data, name):
    if not data.strip():
        return
    try:
        _read(data, name)
    except GongkaiError:
        pass


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=10**6), st.sampled_from(["docx", "xlsx", "pdf"]))
def test_damaged_documents_never_escape(cut, kind):
    data = {"docx": _DOCX, "xlsx": _XLSX, "pdf": _PDF}[kind]
    damaged = bytearray(data[: max(8, cut % len(data))])
    if cut % 3 == 0 and len(damaged) > 100:  # flip bytes in the middle as well
        for i in range(10, len(damaged), max(len(damaged) // 20, 1)):
            damaged[i] ^= 0x5A
    try:
        _read(bytes(damaged), f"r.{kind}")
    except GongkaiError:
        pass


_DOCX = fx.docx_report()
_XLSX = fx.xlsx_report()
_PDF = fx.simple_pdf()


# --- not a report ------------------------------------------------------------------------------------

RECIPE = "番茄炒蛋的做法：先把鸡蛋打散，番茄切块，热锅下油，炒熟出锅。"


@pytest.mark.parametrize("make", ["html", "docx", "pdf"])
def test_a_document_that_is_not_a_report(make):
    from gongkai import read

    if make == "html":
        data = f"<html><body><p>{RECIPE}</p></body></html>".encode()
    elif make == "docx":
        import io

        import docx

        d = docx.Document()
        d.add_paragraph(RECIPE)
        buf = io.BytesIO()
        d.save(buf)
        data = buf.getvalue()
    else:
        import weasyprint

        data = weasyprint.HTML(string=f"<p>{RECIPE}</p>").write_pdf()
    blocks = _read(data).blocks
    assert any(RECIPE in b.text for b in blocks if isinstance(b, Paragraph))
    with pytest.raises(NotAReport):
        read.parse_bytes(data, name=f"recipe.{make}", options=NO_OCR)
