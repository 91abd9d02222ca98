"""The HTML reader: encodings, site chrome, spans, <br> in cells."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gongkai.read._html import decode_html, html_to_blocks, read_html
from gongkai.read._sniff import is_html
from gongkai.read.blocks import Paragraph, TableBlock
from gongkai.read.registry import ReadOptions

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import doc_fixtures as fx

S4_HEADER = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", None, None, None, None,
             "复议后起诉", None, None, None, None)


def _blocks(data: bytes) -> list:
    return read_html(data, ReadOptions()).blocks


def _texts(blocks: list) -> list[str]:
    return [b.text for b in blocks if isinstance(b, Paragraph)]


@pytest.mark.parametrize("charset", ["utf-8", "gbk", "gb18030", "gb2312"])
@pytest.mark.parametrize("declare", [True, False])
def test_simplified_encodings_declared_or_detected(charset, declare):
    blocks = _blocks(fx.html_report(charset, declare=declare))
    assert _texts(blocks)[0] == "某某区人民政府2023年政府信息公开工作年度报告"


@pytest.mark.parametrize("declare", [True, False])
def test_big5_page(declare):
    import opencc

    page = opencc.OpenCC("s2t").convert(fx.HTML_REPORT.format(charset="big5"))
    if not declare:
        page = page.replace('<meta charset="big5">', "")
    doc = read_html(page.encode("big5"), ReadOptions())
    assert _texts(doc.blocks)[0] == "某某區人民政府2023年政府信息公開工作年度報告"
    assert doc.encoding.startswith("big5")


def test_utf16_with_bom():
    data = "\ufeff".encode("utf-16-le") + fx.HTML_REPORT.format(charset="utf-16").encode("utf-16-le")
    assert is_html(data)
    assert _texts(_blocks(data))[0] == "某某区人民政府2023年政府信息公开工作年度报告"


def test_a_lying_declaration_is_overruled():
    data = fx.HTML_REPORT.format(charset="utf-8").encode("gb18030")
    text, encoding = decode_html(data)
    assert encoding == "gb18030" and "年度报告" in text


def test_site_chrome_dropped_report_kept():
    texts = _texts(_blocks(fx.html_report()))
    joined = "\n".join(texts)
    for chrome in ("首页", "当前位置", "版权所有", "var menu"):
        assert chrome not in joined
    assert texts == ["某某区人民政府2023年政府信息公开工作年度报告", "一、总体情况", "2023年，某某区共受理政府信息公开申请21件。",
                     "二、主动公开政府信息情况", "四、政府信息公开行政复议、行政诉讼情况"]


def test_colspan_and_rowspan_expanded():
    tables = [b for b in _blocks(fx.html_report()) if isinstance(b, TableBlock)]
    assert tables[0].rows == (
        ("第二十条第（一）项", None, None, None),
        ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
        ("规章", "1", "0", "11"),
        ("行政规范性文件", "8", "26", "66"),
    )
    s4 = tables[1]
    assert s4.rows[0] == ("行政复议", None, None, None, None, "行政诉讼") + (None,) * 9
    assert s4.rows[1] == S4_HEADER  # "结果<br>维持" joined
    assert s4.rows[2][:5] == (None,) * 5  # under the rowspan=2 headers
    assert s4.rows[3] == tuple(str(v) for v in (72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20))


def test_layout_table_around_the_report_is_walked_through():
    page = ("<html><body><table><tr><td>菜单</td></tr><tr><td><p>报告标题</p>"
            "<table><tr><td>规章</td><td>1</td></tr><tr><td>规范性文件</td><td>2</td></tr></table>"
            "</td></tr></table></body></html>")
    blocks = html_to_blocks(page)
    assert _texts(blocks) == ["菜单", "报告标题"]
    assert [b.rows for b in blocks if isinstance(b, TableBlock)] == [(("规章", "1"), ("规范性文件", "2"))]


def test_two_column_page_layout_table_is_walked_through():
    prose = "本年度，我区认真贯彻落实政府信息公开条例。" * 30
    page = (f"<table><tr><td>首页<br>政务公开</td><td><h1>某区年度报告</h1><p>一、总体情况</p><p>{prose}</p>"
            "</td></tr></table>")
    assert _texts(html_to_blocks(page)) == ["首页", "政务公开", "某区年度报告", "一、总体情况", prose]


def test_a_data_table_with_a_long_note_stays_a_table():
    note = "说明：" + "本表数据来源于政府信息公开工作平台。" * 30
    cells = "".join(f"<td>{v}</td>" for v in ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"))
    page = f'<table><tr>{cells}</tr><tr><td>规章</td><td>1</td><td>0</td><td>11</td></tr>' \
           f'<tr><td colspan="4">{note}</td></tr></table>'
    (table,) = html_to_blocks(page)
    assert table.rows[1] == ("规章", "1", "0", "11") and table.rows[2] == (note, None, None, None)


def test_preformatted_lines_are_paragraphs():
    page = "<html><body><pre>一、总体情况\n  本年度共受理申请21件。\n\n二、主动公开</pre></body></html>"
    assert _texts(html_to_blocks(page)) == ["一、总体情况", "本年度共受理申请21件。", "二、主动公开"]


def test_absurd_spans_are_clamped():
    page = '<table><tr><td colspan="100000" rowspan="99999">a</td><td>1</td></tr><tr><td>2</td></tr></table>'
    (table,) = html_to_blocks(page)
    assert table.width <= 200 and len(table.rows) == 2


def test_not_html():
    assert not is_html(b"# A markdown title\n\n| a | b |\n")
    assert not is_html(b"plain text <table> later")
    assert not is_html("<div align=center>某区年度报告</div>\n\n| 信息内容 | 本年制发件数 |".encode())
    assert is_html(b"  <!DOCTYPE html><html></html>")
    assert is_html(b'<?xml version="1.0"?>\n<!-- c -->\n<html><body></body></html>')


def test_hidden_elements_dropped():
    page = ('<html><body><p>可见</p><p style="display: none">隐藏一</p><div hidden>隐藏二</div>'
            '<span style="visibility:hidden">隐藏三</span><p>末尾</p></body></html>')
    assert _texts(html_to_blocks(page)) == ["可见", "末尾"]


def test_empty_and_broken_pages():
    assert html_to_blocks("") == []
    assert html_to_blocks("<html><body></body></html>") == []
    assert _texts(html_to_blocks("<html><body><p>一<p>二</td></tr></table></div>")) == ["一", "二"]


WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta http-equiv=Content-Type content="text/html; charset=gb2312"><!--[if gte mso 9]><xml><w:WordDocument>
<w:View>Print</w:View></w:WordDocument></xml><![endif]--><style><!-- p.MsoNormal {margin:0cm} --></style></head>
<body lang=ZH-CN><div class=WordSection1><p class=MsoNormal><![if !supportLists]><span>一、<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]>总体情况<o:p></o:p></p>
<table class=MsoTableGrid border=1><tr><td><p class=MsoNormal>规章<o:p></o:p></p></td><td><p class=MsoNormal>1</p></td>
</tr><tr><td><p class=MsoNormal>行政规范性<br>文件</p></td><td><p class=MsoNormal><span lang=EN-US>26<o:p></o:p>
</span></p></td></tr></table></div></body></html>"""


def test_word_html_saved_as_doc():
    """OA systems hand out Word's HTML under a .doc name: conditional comments, <o:p>, GB2312."""
    import gongkai.read._readers  # noqa: F401
    from gongkai.read.registry import find_reader

    data = WORD_HTML.encode("gb2312")
    reader = find_reader(data, "report.doc")
    assert reader.name == "html"
    blocks = reader.func(data, ReadOptions()).blocks
    assert blocks == [Paragraph(text="一、总体情况"), TableBlock(rows=(("规章", "1"), ("行政规范性文件", "26")))]
