"""The reply taxonomy is the format's section 三, never retyped."""
import pytest

from gongkai.errors import LawError
from gongkai.formats import FORMAT_IDS, RowKind, get_format
from gongkai.law import (
    applicant_type,
    applicant_types,
    cell_key_for,
    reply_type,
    reply_types,
    report_row_for,
)
from gongkai.law.deadlines import DeadlineStatus
from gongkai.law.decisions import year_end_row


@pytest.mark.parametrize("fid", FORMAT_IDS)
def test_every_leaf_once_with_its_basis(fid):
    fmt = get_format(fid)
    leaves = [r for r in fmt.s3.rows if r.kind is RowKind.LEAF]
    types = reply_types(fid)
    assert [t.row_key for t in types] == [r.key for r in leaves]
    assert [t.label for t in types] == [r.label for r in leaves]
    assert [t.basis for t in types] == [r.basis for r in leaves]
    assert all(t.basis for t in types)
    assert {t.row_key for t in types} == set(fmt.s3_leaves())


def test_groups_and_disclosure():
    t = reply_type("denied.state_secret")
    assert t.group == get_format("2021").s3.row("denied.state_secret").parent
    assert t.basis == "第十四条" and not t.discloses
    assert reply_type("granted").group is None and reply_type("granted").discloses
    assert reply_type("partial").discloses


@pytest.mark.parametrize(("outcomes", "row"), [
    ("granted", "granted"),
    (["granted", "granted"], "granted"),
    (["granted", "denied.state_secret"], "partial"),
    (["unable.not_held", "granted"], "partial"),
    (["partial", "denied.third_party", "unable.not_held"], "partial"),
    (["denied.process_info"], "denied.process_info"),
])
def test_partial_excludes_every_other_row(outcomes, row):
    assert report_row_for(outcomes).row_key == row


def test_mixed_refusals_need_a_primary_result():
    with pytest.raises(LawError, match="请指定主要结果"):
        report_row_for(["denied.state_secret", "unable.not_held"])
    assert report_row_for(["denied.state_secret", "unable.not_held"],
                          primary="unable.not_held").row_key == "unable.not_held"
    with pytest.raises(LawError, match="不在本件"):
        report_row_for(["denied.state_secret", "unable.not_held"], primary="granted")


def test_unknown_row_and_2019_fallback():
    with pytest.raises(LawError):
        reply_type("denied.nonsense")
    assert reply_type("other.no_fee", "2019-trial").row_key == "other"
    assert report_row_for(reply_type("other.no_correction"), format_id="2019-trial").row_key == "other"


def test_applicant_types_are_the_columns():
    cols = get_format("2021").s3.columns
    types = applicant_types()
    assert [t.column_key for t in types] == [c.key for c in cols if c.key != "total"]
    assert types[0].group is None and all(t.group for t in types[1:])
    assert len(types) == 6
    with pytest.raises(LawError):
        applicant_type("total")


def test_cell_key_for():
    key = cell_key_for(reply_type("denied.state_secret"), applicant_type("commercial"))
    assert key == "s3.denied.state_secret.commercial" and get_format("2021").has_key(key)


def test_lapse_rows_exist_in_the_format():
    for row in ("other.no_correction", "other.no_fee"):
        assert reply_type(row).row_key == row
    assert DeadlineStatus.LAPSED.label


def test_year_end():
    from datetime import date
    assert year_end_row(None, year=2024) == "carry_forward"
    assert year_end_row(date(2025, 1, 3), year=2024) == "carry_forward"
    assert year_end_row(date(2024, 12, 31), year=2024) == "closed"
