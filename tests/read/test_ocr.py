"""OCR of scanned reports: real rendered pages through rapidocr, with the degradations of real scans."""
from __future__ import annotations

import io
import socket
import struct
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from gongkai.errors import CorruptDocument, NeedsOCR, NotAReport, UnsupportedInput
from gongkai.read.blocks import Paragraph, TableBlock
from gongkai.read.ocr import OcrEngine, ocr_image, ocr_pdf_pages
from gongkai.read.ocr._engine import bundled_model
from gongkai.read.registry import ReadOptions

sys.path.insert(0, str(Path(__file__).parent))
import ocr_fixtures as fx

AUTO = ReadOptions()


@pytest.fixture(scope="module")
def qizheng_pages() -> list[fx.Page]:
    return fx.render_pages(fx.load_expected(fx.CORPUS / "seed-qizheng-2023.expected.json"), dpi=150)


@pytest.fixture(scope="module")
def huaian_pages() -> list[fx.Page]:
    return fx.render_pages(fx.load_expected(fx.CORPUS / "huaian-city-2024.expected.json"), dpi=150)


def _tables(doc) -> list[TableBlock]:
    return [b for b in doc.blocks if isinstance(b, TableBlock)]


def test_engine_uses_only_models_inside_the_rapidocr_package(monkeypatch):
    import rapidocr

    package = Path(rapidocr.__file__).parent
    for task in ("det", "rec"):
        assert bundled_model(task).is_relative_to(package)

    def no_network(*args, **kwargs):
        raise AssertionError("OCR tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    engine = OcrEngine(threads=1)  # a fresh engine: models load with the network cut off
    img = Image.new("L", (420, 80), 255)
    ImageDraw.Draw(img).text((10, 20), "行政许可 1369", font=fx.Canvas(150).font(20.0), fill=0)
    boxes = engine.read(np.asarray(img))
    assert "".join(b.text for b in boxes).replace(" ", "") == "行政许可1369"
    assert all(0.0 < b.score <= 1.0 for b in boxes)


def test_section_three_page_gives_the_grid_with_merged_cells(huaian_pages):
    page = huaian_pages[1]
    doc = ocr_image(fx.png(page.image), AUTO)
    assert doc.kind == "ocr" and doc.pages == 1
    [table] = _tables(doc)
    want = fx.expected_grid(page.tables[0])
    assert (len(table.rows), table.width) == (len(want), len(want[0]))
    # merged cells: the corner note spans 3×3, 申请人情况 spans 7 columns, 三、本年度办理结果 a column of rows
    assert table.rows[0][0].startswith("(本列数据") or table.rows[0][0].startswith("（本列数据")
    assert table.rows[0][1] is None and table.rows[2][2] is None
    assert table.rows[0][3] == "申请人情况" and all(v is None for v in table.rows[0][4:])
    assert table.rows[5][0] == "三、本年度办理结果" and table.rows[6][0] is None
    score = fx.score_page(doc.blocks, page)
    assert score.accuracy == 1.0, (score.confident_wrong, score.flagged_wrong)
    # the engine's confidence is carried per cell, at the origins of the cells
    assert table.confidence is not None and len(table.confidence) == len(table.rows)
    assert all(0.5 < c <= 1.0 for row in table.confidence for c in row if c is not None)
    assert all(table.confidence[r][c] is None for r, row in enumerate(table.rows) for c, v in enumerate(row)
               if v is None)


def test_degraded_scan_skew_noise_stamp_jpeg(qizheng_pages):
    page = qizheng_pages[1]
    data = fx.degrade(page.image, dpi=150, seed=3)
    doc = ocr_image(data, AUTO)
    score = fx.score_page(doc.blocks, page)
    assert score.accuracy >= 0.995, (score.confident_wrong, score.flagged_wrong)
    assert not score.confident_wrong
    assert any("倾斜" in n for n in doc.notes) and any("印章" in n for n in doc.notes)


def test_headings_and_small_tables_of_section_two(huaian_pages):
    page = huaian_pages[0]
    doc = ocr_image(fx.jpeg(fx.low_contrast(page.image), 60), AUTO)
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert any(t.startswith("一、总体情况") for t in texts)
    assert any(t.startswith("二、主动公开政府信息情况") for t in texts)
    tables = _tables(doc)
    assert len(tables) == 4
    assert tables[0].rows[0][0].replace("(", "（").replace(")", "）") == "第二十条第（一）项"
    score = fx.score_page(doc.blocks, page)
    assert score.accuracy == 1.0, (score.confident_wrong, score.flagged_wrong)


@pytest.mark.parametrize("turn", [Image.Transpose.ROTATE_180, Image.Transpose.ROTATE_90])
def test_page_orientation_is_corrected(huaian_pages, turn):
    page = huaian_pages[2]
    doc = ocr_image(fx.png(page.image.transpose(turn)), AUTO)
    assert any("方向" in n for n in doc.notes)
    score = fx.score_page(doc.blocks, page)
    assert score.accuracy == 1.0, (score.confident_wrong, score.flagged_wrong)


def test_table_without_rules_falls_back_to_text_lines():
    cv = fx.Canvas(150)
    font = cv.font(11.0)
    rows = [("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
            ("规章", "3", "0", "12"), ("行政规范性文件", "27", "4", "135")]
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            cv.draw.text((cv.p(20 + 45 * j), cv.p(40 + 10 * i)), text, font=font, fill="black")
    doc = ocr_image(fx.png(cv.image), AUTO)
    [table] = _tables(doc)
    assert [list(r) for r in table.rows] == [list(r) for r in rows]


def test_multi_page_tiff_runs_pages_in_parallel(huaian_pages):
    buf = io.BytesIO()
    first, *rest = [p.image.convert("L") for p in huaian_pages[1:3]]
    first.save(buf, "TIFF", save_all=True, append_images=rest, compression="tiff_lzw")
    doc = ocr_image(buf.getvalue(), AUTO)
    assert doc.pages == 2
    assert {b.page for b in doc.blocks} == {1, 2}
    for i, page in enumerate(huaian_pages[1:3], start=1):
        blocks = [b for b in doc.blocks if b.page == i]
        assert fx.score_page(blocks, page).accuracy == 1.0


def test_image_only_pdf_pages(huaian_pages):
    buf = io.BytesIO()
    imgs = [huaian_pages[0].image, huaian_pages[2].image]
    imgs[0].save(buf, "PDF", save_all=True, append_images=imgs[1:], resolution=150)
    blocks = ocr_pdf_pages(buf.getvalue(), [2], AUTO)
    assert blocks and {b.page for b in blocks} == {2}
    assert fx.score_page(blocks, huaian_pages[2]).accuracy == 1.0
    with pytest.raises(NeedsOCR):
        ocr_pdf_pages(buf.getvalue(), [1, 2], ReadOptions(ocr="never"))


# --- bad images: a clear answer, never a crash, a hang or a memory blow-up ---------------------------

def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims width×height pixels (its data is one tiny compressed block)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(
        b"IEND", b"")


def test_huge_image_is_refused_from_its_header():
    with pytest.raises(CorruptDocument, match="图像过大"):
        ocr_image(_png_header_only(20000, 20000), AUTO)


def test_huge_jpeg_is_reduced_while_decoding():
    img = Image.new("L", (9000, 7000), 255)
    ImageDraw.Draw(img).rectangle([1000, 1000, 8000, 6000], outline=0, width=20)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=50)
    del img
    with pytest.raises(NotAReport):  # a frame and no text: read at reduced size, then a clear answer
        ocr_image(buf.getvalue(), AUTO)


def test_blank_page():
    with pytest.raises(NotAReport, match="没有识别出任何文字"):
        ocr_image(fx.png(Image.new("RGB", (1240, 1754), "white")), AUTO)


def test_photo_of_something_else_gives_no_table():
    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:900, 0:1200]
    photo = np.stack([(x / 5) % 255, (y / 4) % 255, ((x + y) / 7) % 255], axis=-1).astype(np.float32)
    photo += rng.normal(0, 25, photo.shape)
    img = Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8))
    try:
        doc = ocr_image(fx.jpeg(img, 80), AUTO)
    except NotAReport:
        return
    assert not _tables(doc)


@pytest.mark.parametrize("data, error", [
    (fx.png(Image.new("RGB", (300, 300), "white"))[:120], CorruptDocument),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, CorruptDocument),
    (b"this is not an image at all", UnsupportedInput),
])
def test_corrupt_files(data, error):
    with pytest.raises(error):
        ocr_image(data, AUTO)


def test_ocr_never_refuses_images():
    with pytest.raises(NeedsOCR):
        ocr_image(fx.png(Image.new("RGB", (100, 100), "white")), ReadOptions(ocr="never"))


def test_cli_ocr_option(tmp_path, huaian_pages):
    from typer.testing import CliRunner

    from gongkai.cli import app

    scan = tmp_path / "scan.pdf"
    huaian_pages[2].image.save(scan, "PDF", resolution=150)
    runner = CliRunner()
    never = runner.invoke(app, ["parse", str(scan), "--ocr", "never"])
    assert never.exit_code == 2 and "OCR" in never.output and "Traceback" not in never.output
    bogus = runner.invoke(app, ["parse", str(scan), "--ocr", "sometimes"])
    assert bogus.exit_code == 2 and "--ocr" in bogus.output


def test_truncated_images_stay_corrupt_after_weasyprint_is_imported():
    """WeasyPrint turns on PIL's LOAD_TRUNCATED_IMAGES for the whole process; a cut-off scan must still be refused."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    page = Image.new("RGB", (400, 300), "white")
    for data in (fx.png(page)[:200], fx.jpeg(page, 80)[:300]):
        with pytest.raises(CorruptDocument):
            ocr_image(data, AUTO)
