"""The narrative patterns are searched only near their anchor literal: the same matches as a plain finditer."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai._regex import anchor, finditer
from gongkai.formats.vocab import NARRATIVE_FACTS, NO_APPLICATIONS

PATTERNS = [*(p for _k, p in NARRATIVE_FACTS), NO_APPLICATIONS]
WORDS = ["全年", "共", "新", "收到", "受理", "政府信息公开", "信息公开", "申请", "共计", "件", "起", "上年", "结转", "下年度",
         "被申请", "行政复议", "被提起", "行政诉讼", "案件", "制发", "规范性文件", "现行有效", "未", "没有", "，", "。", " ",
         "0", "3", "17", "年度", "本年度", "依申请公开", "数量", "合计"]


def test_the_narrative_patterns_have_anchors():
    anchors = [anchor(p) for p in PATTERNS]
    assert all(lit == "" or (len(lit) >= 2 and 0 <= before <= 200) for lit, before in anchors)
    assert sum(1 for lit, _ in anchors if lit) >= len(PATTERNS) - 2  # \s* before the literal: no anchor


def test_anchor_is_top_level_and_bounded():
    assert anchor(r"(行政)?规范性文件(共)?\d+件") == ("规范性文件", 2)
    assert anchor(r"(申请|请求)\d+") == ("", 0)
    assert anchor(r"\s*申请") == ("", 0)  # unbounded before it
    assert anchor(r"[") == ("", 0)


@given(st.lists(st.sampled_from(WORDS), max_size=30).map("".join))
@settings(max_examples=3000, deadline=None)
def test_anchored_search_finds_what_finditer_finds(text):
    for pattern in PATTERNS:
        rx = re.compile(pattern)
        plain = [(m.start(), m.end(), m.groupdict()) for m in rx.finditer(text)]
        assert [(m.start(), m.end(), m.groupdict()) for m in finditer(rx, anchor(pattern), text)] == plain


def test_required_literal_is_in_every_match():
    from gongkai._regex import required
    from gongkai.read.metadata import _DECLARED

    assert required(r"\s*申请") == "申请"  # unbounded before it: no anchor, still required
    for rx, _fid in _DECLARED:
        literal = required(rx.pattern)
        assert literal
        for text in ("国办公开办函〔2021〕30号", "（2019）60号", "年度报告格式（试行）", "[2021]30号"):
            for m in rx.finditer(text):
                assert literal in m.group(0)
