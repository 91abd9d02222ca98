"""Normalisation for matching (V7, V8, V12, V13)."""
from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.read import normalize as normalize_module
from gongkai.read.normalize import fold, fold_keep_length, label_key, leading_number, nfkc


def test_traditional_fullwidth_and_kangxi():
    assert fold("第二十條第（一）項") == "第二十条第(一)项"
    assert fold("⼀、本年新收") == "一、本年新收"  # U+2F00 KANGXI RADICAL ONE
    assert fold("１２３") == "123"
    assert fold("本年新<br>制作数量") == "本年新 制作数量"


def test_label_key_strips_numbering_parentheticals_and_spaces():
    assert label_key("（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == "部分公开"
    assert label_key("(二)部分公开") == "部分公开"
    assert label_key("2. 其他法律行政法规禁止公 开") == "其他法律行政法规禁止公开"
    assert label_key("规章（设区的市、自治州人民政府应提供相关数据）") == "规章"
    assert label_key("3.危及“三安全一稳定”") == label_key("3.危及\"三安全一稳定\"")
    assert label_key("商业 企业") == "商业企业"


def test_leading_number_is_canonical():
    assert leading_number("（一）予以公开") == "(一)"
    assert leading_number("(一)予以公开") == "(一)"
    assert leading_number("1、本机关不掌握") == "1"
    assert leading_number("1．本机关不掌握") == "1"
    assert leading_number("一、本年新收") == "一"
    assert leading_number("本年新收") is None


def test_fold_keep_length_keeps_positions():
    text = "行政規範性文件６９３６６５　（二）"
    assert len(fold_keep_length(text)) == len(text)
    assert fold_keep_length(text).startswith("行政规范性文件693665")


# --- the fast NFKC and quote table are exact ---------------------------------------------------------------
_ALPHABET = "".join(chr(c) for c in [*range(0x20, 0x7F), *range(0x300, 0x370), *range(0xFF01, 0xFF5F), *range(0xFF61, 0xFFA0),
                                     0x3000, 0xA0, 0x2460, 0x2474, 0x2F00, 0xF900, 0x1100, 0x1161, 0x11A8, 0xAC00, 0x3131,
                                     0x2126, 0x212B, 0xFB01, 0x1E9B, 0x3099, 0x304B, 0x4E00, 0x9FA5, 0x81FA, 0x7063,
                                     *map(ord, "“”‘’「」『』〔〕【】﹝﹞．。－—–―／，（）：；")])


@given(st.text(alphabet=_ALPHABET, max_size=40))
@settings(max_examples=3000, deadline=None)
def test_nfkc_is_unicodedata_nfkc(text):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


@given(st.text(alphabet=_ALPHABET, max_size=40))
@settings(max_examples=1000, deadline=None)
def test_fold_is_the_plain_pipeline(text):
    """fold = <br>/inline tags to a space, NFKC, Traditional → Simplified, the quote table, spaces collapsed."""
    plain = normalize_module._BR.sub(" ", text)
    plain = unicodedata.normalize("NFKC", plain)
    plain = normalize_module._T2S.convert(plain)
    plain = plain.translate(normalize_module._QUOTES)
    assert normalize_module._fold(text) == normalize_module._SPACE.sub(" ", plain).strip()


def test_nfkc_on_the_corpora():
    for folder in (Path(__file__).parents[2].parent / "shared" / "corpus" / "dev", Path(__file__).parent.parent / "corpus" / "wild"):
        for p in sorted(folder.glob("*.txt")) + sorted(folder.glob("*.html")):
            text = p.read_text(encoding="utf-8", errors="replace")
            assert nfkc(text) == unicodedata.normalize("NFKC", text), p.name


@given(st.text(alphabet=" \t\u3000\xa0\u2002\u2009\u200b\u200ca一", max_size=30))
@settings(max_examples=3000, deadline=None)
def test_collapse_spaces_is_the_space_regex(text):
    assert normalize_module.collapse_spaces(text) == normalize_module._SPACE.sub(" ", text)


def test_str_split_and_regex_agree_on_whitespace():
    """metadata squeezes text with "".join(s.split()) in place of re.sub(r"\\s+", "", s): the same characters."""
    import re
    import sys

    assert [c for c in range(sys.maxunicode + 1) if bool(re.match(r"\s", chr(c))) != chr(c).isspace()] == []
