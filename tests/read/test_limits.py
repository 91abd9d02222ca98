"""Resource limits (gongkai.read.limits): bombs fail fast with a Chinese message, in bounded memory.

The bombs are built in memory (fixtures/bombs.py) and read by a child ``gongkai parse``, whose peak memory
comes from ``os.wait4``'s rusage. Bound stated for any refused bomb: 256 MB (a 4 GiB PDF bomb took 5.4 GB
before the limits; the run below takes ~75 MB).
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.read import isolate, parse_bytes
from gongkai.read.limits import LimitExceeded, Limits, check_markup, check_pdf, check_zip, from_env

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import bombs
import doc_fixtures as fx

SRC = Path(__file__).resolve().parents[2] / "src"
BOUND_KB = 256 * 1024  # peak RSS of the child reading a bomb


# The measuring parent is a small interpreter of its own: a child forked from the (large) pytest process
# would report pytest's resident size as its peak (Linux records the pre-exec size in ru_maxrss).
_MEASURE = ("import os, subprocess, sys; p = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL); "
            "_, status, usage = os.wait4(p.pid, 0); "
            "open(sys.argv[1], 'w').write(f'{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}')")


def _parse_child(path: Path) -> tuple[int, str, int, float]:
    """(exit code, stderr, peak RSS in KB, seconds) of ``gongkai parse path --json`` in a child process."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]))
    result = path.with_suffix(".rusage")
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", _MEASURE, str(result), sys.executable, "-c",
                           "from gongkai.cli import main; main()", "parse", str(path), "--json"],
                          capture_output=True, env=env, check=True)
    code, peak_kb = (int(v) for v in result.read_text().split())
    return code, proc.stderr.decode("utf-8", "replace"), peak_kb, time.monotonic() - start


@pytest.mark.parametrize(("name", "make", "expect"), [
    ("bomb.pdf", lambda: bombs.pdf_bomb(4096), "解压炸弹"),  # 4 MB on disk, 4 GiB inflated
    ("rows.xlsx", lambda: bombs.rows_xlsx(3_000_000), "压缩炸弹"),  # 27 KB, 3 million empty rows
    ("numbered-rows.xlsx", lambda: bombs.rows_xlsx(150_000, numbered=True), "行数过多"),  # under the ratio check
])
def test_bombs_fail_fast_in_bounded_memory(tmp_path, name, make, expect):
    path = tmp_path / name
    path.write_bytes(make())
    code, message, peak_kb, seconds = _parse_child(path)
    assert code == 2, message
    assert expect in message and "已拒绝读取" in message
    assert peak_kb < BOUND_KB, f"peak {peak_kb // 1024} MB"
    assert seconds < 20


@pytest.mark.parametrize("make", [bombs.laughs_xlsx, bombs.xxe_xlsx, bombs.laughs_workbook_xlsx, bombs.xxe_workbook_xlsx,
                                  bombs.laughs_docx, bombs.xxe_docx])
def test_entity_bombs_and_external_entities_refused(make):
    with pytest.raises(LimitExceeded, match="实体声明"):
        parse_bytes(make())


def test_encrypted_pdf_bomb_refused():
    bomb = fx.raw_pdf([bombs.flate_bomb(40)], user_password="", flate=True)
    with pytest.raises(LimitExceeded, match="解压炸弹"):
        check_pdf(bomb, Limits(pdf_stream_bytes=32 * 1024 * 1024))
    check_pdf(fx.simple_pdf(user_password=""))  # an ordinary encrypted file passes


def test_pdf_total_and_image_pixels():
    two = fx.raw_pdf([bombs.flate_bomb(20), bombs.flate_bomb(20)], flate=True)
    check_pdf(two, Limits(pdf_stream_bytes=30 * 1024 * 1024))  # each stream is under the per-stream limit ...
    with pytest.raises(LimitExceeded, match="合计"):  # ... together they are not
        check_pdf(two, Limits(pdf_stream_bytes=30 * 1024 * 1024, pdf_total_bytes=30 * 1024 * 1024))
    with pytest.raises(LimitExceeded, match="像素"):
        check_pdf(bombs.pdf_giant_image(60000, 60000))
    check_pdf(bombs.pdf_giant_image(2480, 3508))  # an A4 page at 300 dpi


def test_ordinary_documents_pass_the_checks():
    check_zip(fx.docx_report())
    check_zip(fx.xlsx_report())
    check_pdf(fx.pdf_report())
    check_zip(bombs.rows_xlsx(1000, numbered=True))


def test_limits_come_from_the_environment():
    lim = from_env({"GONGKAI_LIMIT_SHEET_ROWS": "50", "GONGKAI_LIMIT_PDF_STREAM_MB": "8", "GONGKAI_LIMIT_PAGES": "x"})
    assert lim.sheet_rows == 50 and lim.pdf_stream_bytes == 8 * 1024 * 1024 and lim.pages == Limits().pages
    with pytest.raises(LimitExceeded, match="行数过多"):
        check_zip(bombs.rows_xlsx(60, numbered=True), lim)


def test_a_batch_gives_the_bomb_an_error_row_and_goes_on(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "bomb.pdf").write_bytes(bombs.pdf_bomb(1024))
    (src / "report.docx").write_bytes(fx.docx_report())
    result = CliRunner().invoke(app, ["parse", str(src), "--out", str(out)])
    assert result.exit_code == 1
    assert "解压炸弹" in result.output
    assert [p.name for p in out.iterdir()] == ["report.json"]


@pytest.mark.parametrize(("kind", "amount", "expect"), [("memory", 4096, "内存上限"), ("cpu", 30, "超时")])
def test_isolated_child_cannot_exceed_memory_or_cpu(kind, amount, expect):
    start = time.monotonic()
    with pytest.raises(LimitExceeded, match=expect):
        isolate.run("gongkai.read.isolate:probe", kind, amount, limits=Limits(memory_bytes=256 * 1024 * 1024,
                                                                             cpu_seconds=1))
    assert time.monotonic() - start < 15
    assert isolate.run("gongkai.read.isolate:probe", "memory", 16) == 16


def test_word_xml_with_entities_and_oversized_pages_refused(tmp_path):
    word_xml = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                b'<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml"><w:body><w:p><w:r>'
                b"<w:t>&xxe;</w:t></w:r></w:p></w:body></w:wordDocument>")
    with pytest.raises(LimitExceeded, match="实体声明"):
        parse_bytes(word_xml, name="report.doc")  # refused before LibreOffice would convert it
    page = b"<html><body><p>" + b"x" * (2 * 1024 * 1024) + b"</p></body></html>"
    with pytest.raises(LimitExceeded, match="网页或 XML 文件过大"):
        check_markup(page, Limits(html_bytes=1024 * 1024))
    with pytest.raises(LimitExceeded, match="文字过多"):
        parse_bytes(("一、总体情况\n" + "政府信息公开" * 400_000).encode())
