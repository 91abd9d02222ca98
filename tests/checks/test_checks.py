"""Each check with a passing and a failing case, in both formats (report-format.md §4)."""
import datetime as dt
from decimal import Decimal

import pytest

from gongkai.checks import CheckOptions, Level, has_errors, registered, repetition_rate, rollup, run_checks
from gongkai.errors import InputError
from gongkai.report import Cell, Report, SectionText, Status

from .conftest import make_valid


def ids(findings, level=None):
    return {f.id for f in findings if level is None or f.level is level}


def bump(report, key, delta=1):
    return report.with_cells({key: report.value(key) + delta})


def test_valid_report_has_no_errors_or_warnings(valid):
    findings = run_checks(valid)
    assert not has_errors(findings)
    assert ids(findings, Level.WARNING) == set(), [f.message for f in findings]


@pytest.mark.parametrize("key, check_id", [
    ("s3.new.natural", "I1"), ("s3.carry_forward.commercial", "I1"), ("s3.total.total", "I3"),
    ("s3.granted.research", "I4"), ("s4.review.upheld", "I5"), ("s4.litigation_direct.total", "I5"),
])
def test_each_identity_fails_when_one_cell_changes(valid, key, check_id):
    findings = run_checks(bump(valid, key))
    assert check_id in ids(findings, Level.ERROR)
    f = next(f for f in findings if f.id == check_id)
    assert f.lhs is not None and f.rhs is not None and f.lhs.value != f.rhs.value
    assert key in f.cells


def test_i1_message_names_both_sides(valid):
    f = next(f for f in run_checks(bump(valid, "s3.new.natural")) if f.id == "I1")
    assert "左边" in f.message and "右边" in f.message and "自然人" in f.message


def test_i6_negative_count(valid):
    assert "I6" in ids(run_checks(valid.with_cells({"s4.review.other": -1})), Level.ERROR)


def test_i6_signed_delta_allowed():
    r = make_valid("2019-trial").with_cells({"s2.licensing.delta": -3})
    assert "I6" not in ids(run_checks(r))


def test_i6_negative_money():
    r = make_valid("2021").with_cells({"s2.fees.amount": Cell(value=Decimal(-1))})
    assert "I6" in ids(run_checks(r), Level.ERROR)


def test_blank_total_gives_v5(valid):
    r = valid.with_cells({"s3.total.total": Cell(value=0, status=Status.BLANK, raw="")})
    findings = run_checks(r)
    assert {"I1", "I3", "I4"} <= ids(findings, Level.ERROR)
    v5 = [f for f in findings if f.id == "V5"]
    assert len(v5) == 1 and v5[0].cells == ("s3.total.total",) and "I1" in v5[0].message


def test_blank_cells_that_hold_are_fine(valid):
    r = valid.with_cells({"s3.denied.state_secret.natural": Cell(value=0, status=Status.BLANK, raw="/")})
    assert not has_errors(run_checks(r)) and "V5" not in ids(run_checks(r))


def test_missing_cells_are_reported_not_zeroed():
    r = Report.from_data({"format": "2021", "cells": {"s3.new.natural": 3, "s3.new.total": 3}})
    findings = run_checks(r)
    assert not has_errors(findings)
    info = [f for f in findings if f.id == "I1" and f.level is Level.INFO]
    assert info and "缺少" in info[0].message


def test_collapsed_other_row_uses_single_leaf():
    r = make_valid("2021")
    cells = {k: None for k in r.cells if k.startswith("s3.other.")}
    for col in [c.key for c in r.fmt.s3.columns]:
        cells[f"s3.other.{col}"] = sum(r.value(f"s3.other.{c}.{col}") for c in ("no_correction", "no_fee", "other"))
    collapsed = r.with_cells(cells)
    assert collapsed.collapsed == {"other"}
    assert not has_errors(run_checks(collapsed))
    assert has_errors(run_checks(bump(collapsed, "s3.other.natural")))


def test_w1_narrative_contradicts_table(valid):
    assert "W1" not in ids(run_checks(valid))
    six = [s if s.number != 1 else s.model_copy(update={"text": "全年共收到政府信息公开申请17件。"})
           for s in valid.sections]
    f = [f for f in run_checks(valid.model_copy(update={"sections": tuple(six)})) if f.id == "W1"]
    assert f and f[0].lhs.value == 17 and f[0].rhs.value == 4


def test_w2_rules_for_a_street_office(valid):
    street = valid.with_metadata(agency="南岗区七政街道办事处")
    assert "W2" not in ids(run_checks(street))
    key = "s2.rules.issued" if valid.format == "2021" else "s2.rules.new_made"
    assert "W2" in ids(run_checks(street.with_cells({key: 2})), Level.WARNING)
    city = valid.with_metadata(agency="哈尔滨市人民政府").with_cells({key: 2})
    assert "W2" not in ids(run_checks(city))


def test_w3_fee_in_yuan():
    r = make_valid("2021")
    assert "W3" not in ids(run_checks(r))
    assert "W3" in ids(run_checks(r.with_cells({"s2.fees.amount": Cell(value=Decimal("1.1234567"))})))
    assert "W3" in ids(run_checks(r.with_cells({"s2.fees.amount": Cell(value=Decimal(1500), raw="1500元",
                                                                        unit="元")})))


def test_w4_section_six_must_state_the_fee(valid):
    assert "W4" not in ids(run_checks(valid))
    sections = tuple(s if s.number != 6 else s.model_copy(update={"text": "无其他需要报告的事项。"})
                     for s in valid.sections)
    f = [f for f in run_checks(valid.model_copy(update={"sections": sections})) if f.id == "W4"]
    assert f and f[0].level is Level.WARNING
    if valid.format == "2021":
        assert "收费通知" in f[0].message  # the fixture has one other.no_fee application


def test_w4_accepts_no_fee_wording():
    r = make_valid("2021")
    for text in ("本年度无收取信息费情况。", "无。", "本机关未收取信息处理费。"):
        sections = tuple(s if s.number != 6 else s.model_copy(update={"text": text}) for s in r.sections)
        assert "W4" not in ids(run_checks(r.model_copy(update={"sections": sections}))), text


def test_w5_issued_without_in_force():
    r = make_valid("2021")
    assert "W5" in ids(run_checks(r.with_cells({"s2.normative_docs.in_force": 0})))


def test_w6_total_published_below_new():
    r = make_valid("2019-trial")
    assert "W6" not in ids(run_checks(r))
    assert "W6" in ids(run_checks(r.with_cells({"s2.normative_docs.total_published": 1})))


def test_w7_missing_and_out_of_order_sections(valid):
    drop = valid.model_copy(update={"sections": tuple(s for s in valid.sections if s.number != 5)})
    assert any("五、存在的主要问题" in f.message for f in run_checks(drop) if f.id == "W7")
    swapped = tuple(s.model_copy(update={"order": {5: 5, 6: 4}.get(s.number, s.order)}) for s in valid.sections)
    assert "W7" in ids(run_checks(valid.model_copy(update={"sections": swapped})), Level.WARNING)


def test_w8_statistics_period(valid):
    good = valid.with_metadata(period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31))
    assert "W8" not in ids(run_checks(good), Level.WARNING)
    bad = valid.with_metadata(period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 11, 30))
    assert "W8" in ids(run_checks(bad), Level.WARNING)


@pytest.mark.parametrize("agency, published, late", [
    ("某市某区人民政府", dt.date(2025, 3, 31), False), ("某市某区人民政府", dt.date(2025, 4, 1), True),
    ("某市某区教育局", dt.date(2025, 1, 31), False), ("某市某区教育局", dt.date(2025, 2, 1), True),
])
def test_w9_published_late(valid, agency, published, late):
    r = valid.with_metadata(agency=agency, publish_date=published)
    assert ("W9" in ids(run_checks(r), Level.WARNING)) is late


def test_w9_township_deadline_is_a_setting(valid):
    r = valid.with_metadata(agency="七政街道办事处", publish_date=dt.date(2025, 2, 15))
    assert "W9" not in ids(run_checks(r), Level.WARNING)
    assert "W9" in ids(run_checks(r, options=CheckOptions(township_deadline=(1, 31))), Level.WARNING)


def test_x1_carried_over_chain(valid):
    prev = valid.with_metadata(year=2023)
    prev = prev.with_cells({"s3.carry_forward.natural": 1, "s3.carry_forward.legal_service": 0,
                            "s3.carry_forward.total": 1})
    assert "X1" not in ids(run_checks(valid, previous=prev))
    prev2 = prev.with_cells({"s3.carry_forward.natural": 2})
    assert "X1" in ids(run_checks(valid, previous=prev2), Level.WARNING)
    accepted = run_checks(valid, previous=prev2, options=CheckOptions(accepted=frozenset({"X1"})))
    assert "X1" not in ids(accepted, Level.WARNING) and "X1" in ids(accepted, Level.INFO)


def test_x2_in_force_chain():
    cur = make_valid("2021")  # normative_docs: issued 2, in_force 10
    prev = cur.with_metadata(year=2023).with_cells({"s2.normative_docs.in_force": 8})
    assert "X2" not in ids(run_checks(cur, previous=prev))
    assert "X2" in ids(run_checks(cur, previous=prev.with_cells({"s2.normative_docs.in_force": 5})))


def test_x3_items_chain():
    cur = make_valid("2019-trial").with_cells({"s2.licensing.prev_year_items": 12})
    prev = cur.with_metadata(year=2023).with_cells({"s2.licensing.prev_year_items": 10, "s2.licensing.delta": 2})
    assert "X3" not in ids(run_checks(cur, previous=prev))
    assert "X3" in ids(run_checks(cur, previous=prev.with_cells({"s2.licensing.delta": -1})))


def test_x4_repetition_rate(valid):
    same = run_checks(valid, previous=valid.with_metadata(year=2023))
    x4 = next(f for f in same if f.id == "X4")
    assert x4.level is Level.WARNING and "100.0%" in x4.message
    fresh = tuple(s.model_copy(update={"text": "本年度我们新建了依申请公开台账系统，办理时限全部达标。" * (s.number in (1, 5, 6))})
                  for s in valid.sections)
    x4b = next(f for f in run_checks(valid.model_copy(update={"sections": fresh}), previous=valid) if f.id == "X4")
    assert x4b.level is Level.INFO


def test_repetition_rate_figures():
    assert repetition_rate("甲乙丙丁戊己庚辛壬癸", "甲乙丙丁戊己庚辛壬癸") == 1.0
    assert repetition_rate("甲乙丙丁戊己庚辛壬癸", "子丑寅卯辰巳午未申酉") == 0.0
    assert 0 < repetition_rate("甲乙丙丁戊己庚辛子丑寅卯辰巳午未", "甲乙丙丁戊己庚辛") < 1


def test_rollup_adds_cell_by_cell_and_stays_valid():
    a, b = make_valid("2021"), make_valid("2021").with_metadata(agency="另一个局")
    total = rollup([a, b], agency="某区汇总")
    assert total.value("s3.new.total") == 8 and total.value("s2.fees.amount") == Decimal("3.0")
    assert total.agency == "某区汇总"
    assert not has_errors(run_checks(total))


def test_rollup_marks_missing_cells_uncertain():
    a = make_valid("2021")
    b = Report.from_data({"format": "2021", "cells": {"s3.new.natural": 1}})
    total = rollup([a, b])
    assert total.cell("s3.new.natural").status is Status.OK
    assert total.cell("s3.new.commercial").status is Status.UNCERTAIN


def test_rollup_mixes_collapsed_and_full_other_rows():
    full = make_valid("2021")
    cells = {k: None for k in full.cells if k.startswith("s3.other.")}
    cells.update({f"s3.other.{c.key}": full.value(f"s3.other.no_fee.{c.key}") for c in full.fmt.s3.columns})
    total = rollup([full, full.with_cells(cells)])
    assert total.collapsed == {"other"} and total.value("s3.other.natural") == 2
    assert not has_errors(run_checks(total))


def test_rollup_refuses_mixed_formats():
    with pytest.raises(InputError, match="不同格式"):
        rollup([make_valid("2021"), make_valid("2019-trial")])


def test_every_documented_check_is_registered():
    assert {"I1", "I3", "I4", "I5", "I6", "W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9",
            "X1", "X2", "X3", "X4"} <= set(registered())


def test_sections_missing_entirely_are_info_only():
    r = Report.from_data({"cells": {}})
    findings = run_checks(r)
    assert not has_errors(findings) and ids(findings, Level.WARNING) == set()
    assert {"W1", "W7"} <= ids(findings, Level.INFO)
    assert all(isinstance(s, SectionText) for s in make_valid("2021").sections)
