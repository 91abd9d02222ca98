"""Normalisation for matching (V7, V8, V12, V13)."""
from __future__ import annotations

from gongkai.read.normalize import fold, fold_keep_length, label_key, leading_number


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
