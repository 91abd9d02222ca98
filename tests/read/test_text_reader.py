"""The text/Markdown reader: encodings and blocks."""
from __future__ import annotations

import pytest

from gongkai.errors import UnsupportedInput
from gongkai.read import parse_bytes
from gongkai.read._text import decode_text, read_text, text_to_blocks
from gongkai.read.blocks import Paragraph, TableBlock
from gongkai.read.layout import normalize_blocks
from gongkai.read.registry import ReadOptions

SAMPLE = "南岗区七政街道办事处2023年政府信息公开工作年度报告\n一、总体情况\n本年度未收到政府信息公开申请。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16"])
def test_encodings_are_detected(encoding):
    text = SAMPLE if encoding != "big5" else "臺北市政府2023年政府資訊公開工作年度報告\n一、總體情況\n本年度未收到申請。\n"
    decoded, _ = decode_text(text.encode(encoding))
    assert decoded.replace("\ufeff", "") == text


def test_binary_is_refused():
    with pytest.raises(UnsupportedInput):
        decode_text(b"\x00\x01\x02\x03" * 100 + b"\xff\xfe\x00")


def test_markdown_pipe_table_and_paragraphs():
    blocks = normalize_blocks(text_to_blocks("# 标题\n\n| 信息内容 | 本年制发件数 |\n|---|---|\n| 规章 | 3 |\n\n- 列表项\n"))
    assert isinstance(blocks[0], Paragraph) and blocks[0].text == "标题"
    table = blocks[1]
    assert isinstance(table, TableBlock) and table.rows == (("信息内容", "本年制发件数"), ("规章", "3"))
    assert blocks[2] == Paragraph("列表项", line=7)


def test_html_table_fragment_expands_spans():
    html = ("前言\n<table><tr><td rowspan=2>行政许可</td><td colspan=3>12</td></tr>"
            "<tr><td>1</td><td>2</td><td>3</td></tr></table>\n后记")
    blocks = text_to_blocks(html)
    tables = [b for b in blocks if isinstance(b, TableBlock)]
    assert tables[0].rows == (("行政许可", "12", None, None), (None, "1", "2", "3"))
    assert blocks[-1].text == "后记"


def test_tab_separated_lines_are_one_table():
    blocks = normalize_blocks(text_to_blocks("规章\t0\t0\t0\n行政规范性文件\t1\t2\t3\n正文"))
    assert isinstance(blocks[0], TableBlock) and len(blocks[0].rows) == 2
    assert blocks[1] == Paragraph("正文", line=3)


def test_reader_registers_for_text_extensions():
    doc = read_text(SAMPLE.encode("gb18030"), ReadOptions())
    assert doc.encoding == "gb18030" and doc.kind == "text"


def test_gbk_report_parses_like_utf8(tmp_path):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2].parent / "shared/corpus/dev/pingtan-2021.txt").read_text("utf-8") \
        if (Path(__file__).resolve().parents[2].parent / "shared/corpus/dev/pingtan-2021.txt").exists() else None
    if text is None:
        pytest.skip("dev corpus not present")
    a = parse_bytes(text.encode("utf-8"), name="a.txt").report
    b = parse_bytes(text.encode("gb18030"), name="b.txt").report
    assert {k: c.value for k, c in a.cells.items()} == {k: c.value for k, c in b.cells.items()}


def test_absurd_spans_in_an_html_fragment_stay_small_and_fast():
    import time

    html = "<table><tr>" + "<td colspan=200 rowspan=200>1</td>" * 1000 + "</tr></table>"
    start = time.perf_counter()
    [table] = text_to_blocks(html)
    assert time.perf_counter() - start < 5
    # HTML source is read by the HTML reader, whose grid is capped (MAX_COLS): small either way
    assert len(table.rows) == 1 and 1 <= len(table.rows[0]) <= 1000 and table.rows[0][0] == "1"
