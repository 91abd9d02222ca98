"""Narrative facts (W1): numbers stated in the text, with the cell they speak about."""
import pytest

from gongkai.narrative import extract_facts


@pytest.mark.parametrize("text, key, value", [
    ("2024年共收到政府信息公开申请95件。", "s3.new.total", 95),
    ("全年共收到70件申请，均按时答复。", "s3.new.total", 70),
    ("本年度新收政府信息公开申请十二件", "s3.new.total", 12),
    ("2023年，七政街道办事处未接到任何形式的信息公开申请。", "s3.new.total", 0),
    ("上年结转3件", "s3.carried_over.total", 3),
    ("结转下年度继续办理2件", "s3.carry_forward.total", 2),
    ("被申请行政复议 4 件", "s4.review.total", 4),
    ("行政诉讼案件共3起", "s4.litigation.total", 3),
    ("制发行政规范性文件5件", "s2.normative_docs.issued", 5),
    ("现行有效行政规范性文件共393件", "s2.normative_docs.in_force", 393),
])
def test_facts(text, key, value):
    facts = extract_facts(text)
    assert any(f.key == key and f.value == value for f in facts), facts


def test_no_facts_in_unrelated_text():
    assert extract_facts("全年共召开相关政策会议21场次，宣传讲座11场次。") == []
