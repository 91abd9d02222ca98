"""The formats as data: key counts, labels, identities (report-format.md §3)."""
import pytest

from gongkai.formats import FORMATS, RowKind, ValueType, format_of_key, get_format


def test_key_counts_match_the_spec():
    # 2021: 10 + 25×7 + 15 = 200; 2019-trial: 22 + 23×7 + 15 = 198 (corpus README)
    assert len(get_format("2021").keys()) == 200
    assert len(get_format("2019-trial").keys()) == 198


def test_leaf_counts():
    assert len(get_format("2021").s3_leaves()) == 21
    assert len(get_format("2019-trial").s3_leaves()) == 19
    assert get_format("2021").s3_leaves(collapsed=frozenset({"other"}))[-1] == "other"


def test_official_labels_are_exact():
    f = get_format("2021")
    labels = [r.label for r in f.s3.rows]
    assert labels[0] == "一、本年新收政府信息公开申请数量"
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in labels
    assert "3.危及“三安全一稳定”" in labels
    assert labels[-1] == "四、结转下年度继续办理"
    assert f.s3.note == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert [c.label for c in f.s3.columns] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    groups = [r.label for r in f.s3.rows if r.kind is RowKind.GROUP]
    assert groups == ["三、本年度办理结果", "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"]


@pytest.mark.parametrize("fid", list(FORMATS))
def test_section_four_has_fifteen_columns_in_three_blocks(fid):
    s4 = get_format(fid).s4
    assert [c.key for c in s4.columns][:5] == ["review.upheld", "review.corrected", "review.other", "review.pending",
                                                 "review.total"]
    assert len(s4.columns) == 15
    assert get_format(fid).s4.cell_key(s4.rows[0], s4.columns[-1]) == "s4.litigation_after_review.total"


def test_value_types():
    assert get_format("2021").value_type("s2.fees.amount") is ValueType.WAN_YUAN
    assert get_format("2019-trial").value_type("s2.licensing.delta") is ValueType.SIGNED_INT
    assert get_format("2019-trial").value_type("s2.procurement.amount") is ValueType.MONEY
    assert get_format("2021").value_type("s3.new.natural") is ValueType.INT


def test_2019_keys_are_not_2021_keys():
    assert format_of_key("s2.rules.new_made") == ["2019-trial"]
    assert format_of_key("s2.rules.issued") == ["2021"]
    assert set(format_of_key("s3.new.natural")) == {"2021", "2019-trial"}
    assert get_format("2021").has_key("s3.other.natural")  # V17: （六） printed as one row


@pytest.mark.parametrize("fid", list(FORMATS))
def test_equations_cover_every_section_three_and_four_cell(fid):
    f = get_format(fid)
    covered = {k for eq in f.equations() for k in eq.lhs + eq.rhs}
    assert covered == {k for k in f.keys() if not k.startswith("s2.")}  # noqa: SIM118
    ids = {eq.id for eq in f.equations()}
    assert ids == {"I1", "I3", "I4", "I5"}


def test_unknown_format():
    with pytest.raises(KeyError, match="unknown format"):
        get_format("2020")


def test_sections_have_official_headings():
    heads = [s.heading for s in get_format("2021").sections]
    assert heads == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                     "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
