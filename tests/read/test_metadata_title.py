"""Regressions: metadata and findings in parse output."""
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.read import metadata, parse_text

BODY = """{title}

本报告根据《中华人民共和国政府信息公开条例》编制。本报告所列数据的统计期限自2024年1月1日至2024年12月31日。

一、总体情况
2024年共收到政府信息公开申请3件。
二、主动公开政府信息情况
三、收到和处理政府信息公开申请情况
四、政府信息公开行政复议、行政诉讼情况
五、存在的主要问题及改进情况
六、其他需要报告的事项
本年度未收取信息处理费。
"""


def test_title_set_on_two_lines_gives_the_agency():
    result = parse_text(BODY.format(title="淮安市某某区人民政府\n2024 年政府信息公开工作年度报告"))
    assert result.report.agency == "淮安市某某区人民政府" and result.report.year == 2024


def test_title_on_one_line():
    result = parse_text(BODY.format(title="某某区人民政府2024年政府信息公开工作年度报告"))
    assert result.report.agency == "某某区人民政府"


def test_findings_are_always_in_the_output():
    data = json.loads(parse_text(BODY.format(title="某某区人民政府2024年政府信息公开工作年度报告")).to_json())
    assert isinstance(data["findings"], list)


@given(st.lists(st.sampled_from(["一", "二", "六", "七", "十", "第", "1", "6", "9", "、", ".", "．", " ", "\n", "政府", "情况"]),
                max_size=25).map("".join))
@settings(max_examples=3000, deadline=None)
def test_heading_finder_matches_the_plain_pattern(text):
    plain = re.compile(r"(?<![一二三四五六七八九十第])(?:[一二三四五六]\s*[、.．]|(?<!\d)[1-6]\s*、)")
    assert [m.span() for m in metadata._HEADING_IN_TEXT.finditer(text)] == [m.span() for m in plain.finditer(text)]
