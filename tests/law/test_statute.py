"""The provisional calendar of 《全国年节及纪念日放假办法》 (2024 revision) for years whose notice is not entered."""
from datetime import date, timedelta

import chinese_calendar
import pytest

from gongkai.errors import LawError
from gongkai.law import (
    DayKind,
    Received,
    WorkingCalendar,
    compute_deadline,
    load_notice,
    statutory_days,
)
from gongkai.law.statute import festivals, provisional_reason, qingming

D = date


# --- the lunar library against the official calendars ------------------------------------------------

@pytest.mark.parametrize("year", [2025, 2026])
def test_statutory_days_are_official_holidays(year):
    """Every day the statute (and its 补假) gives off in 2025 and 2026 is a holiday of the official notice."""
    days = statutory_days(year)
    assert all(e.kind is DayKind.HOLIDAY for e in days)
    assert [e.date for e in days if e.date not in chinese_calendar.holidays] == []
    # the 13 statutory days of 第二条 are all there
    assert sum(len(ds) for _, ds in festivals(year)) == 13


@pytest.mark.parametrize("year", range(2008, 2027))
def test_lunar_dates_match_every_official_year(year):
    """清明, 端午, 中秋 and 正月初一–初三 have been holidays every year since 2008: the library agrees."""
    fest = dict(festivals(year))
    spring = fest["春节"]
    assert spring[1].month in (1, 2) and spring[0] == spring[1] - timedelta(days=1)  # 除夕 the day before 初一
    # a day off in the official calendar (chinesecalendar leaves some weekend days of a break out of its table)
    for d in [*spring[1:], *fest["清明节"], *fest["端午节"], *fest["中秋节"]]:
        assert chinese_calendar.is_holiday(d), d
    if year <= 2013:  # 除夕 was a holiday 2008–2013 (and again from 2025)
        assert chinese_calendar.is_holiday(spring[0])


def test_known_dates():
    assert [d for _, d in festivals(2027)][:2] == [[D(2027, 1, 1)], [D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7),
                                                                    D(2027, 2, 8)]]
    assert qingming(2024) == D(2024, 4, 4) and qingming(2025) == D(2025, 4, 4) and qingming(2026) == D(2026, 4, 5)
    fest = dict(festivals(2027))
    assert fest["端午节"] == [D(2027, 6, 9)] and fest["中秋节"] == [D(2027, 9, 15)]


def test_makeup_days_of_article_6():
    """A statutory day on a weekend is made up on the next weekday off (第六条); a shared day too."""
    days = {e.date: e.name for e in statutory_days(2027)}
    # 春节 2027: 除夕 Fri 2/5, 初一–初三 Sat 2/6 – Mon 2/8 → 补假 Tue 2/9 and Wed 2/10
    assert days[D(2027, 2, 9)] == days[D(2027, 2, 10)] == "春节（补假）"
    # 劳动节 Sat 5/1, Sun 5/2 → Mon 5/3, Tue 5/4; 国庆节 Fri 10/1 – Sun 10/3 → Mon 10/4, Tue 10/5
    assert {D(2027, 5, 3), D(2027, 5, 4), D(2027, 10, 4), D(2027, 10, 5)} <= set(days)
    # 2028: 中秋 on 3 October, a 国庆 day: named after both, and made up
    days_2028 = {e.date: e.name for e in statutory_days(2028)}
    assert days_2028[D(2028, 10, 3)] == "国庆节、中秋节"
    assert days_2028[D(2028, 10, 4)] == "国庆节（补假）" and days_2028[D(2028, 10, 5)] == "中秋节（补假）"
    # 元旦 on Saturday 2028-01-01 → Monday 1/3
    assert days_2028[D(2028, 1, 3)] == "元旦（补假）"


def test_statute_only_from_2025():
    with pytest.raises(LawError, match="2024年不适用"):
        statutory_days(2024)


# --- the calendar counts a year without a notice provisionally ----------------------------------------------

def test_default_calendar_is_provisional_after_the_seeded_years(cal):
    assert cal.provisional and cal.is_provisional(2027) and not cal.is_provisional(2026)
    assert not cal.is_provisional(2003)  # before the statute: no guess, an error
    with pytest.raises(LawError, match="2003年的工作日历尚未录入"):
        cal.is_working_day(D(2003, 6, 2))
    assert not cal.is_working_day(D(2027, 1, 1)) and cal.is_working_day(D(2027, 1, 4))
    assert not cal.is_working_day(D(2027, 2, 9))  # 补假
    assert cal.entry(D(2027, 2, 5)).name == "春节" and cal.entries(2027) == []
    assert [e.date for e in cal.provisional_entries(2027)] == [e.date for e in statutory_days(2027)]
    c = cal.count(D(2026, 12, 31), 3)
    assert c.end == D(2027, 1, 6) and c.provisional_years == (2027,)
    assert cal.count(D(2024, 9, 27), 20).provisional_years == ()


def test_a_strict_calendar_still_refuses(cal):
    strict = WorkingCalendar(cal.entries(), covered_years=cal.covered_years)
    with pytest.raises(LawError, match="2027年的工作日历尚未录入"):
        strict.add_working_days(D(2026, 12, 21), 20)


def test_worked_example_provisional(cal):
    """law.md §3.1: received Mon 2026-12-21, 2027 notice not entered (only 元旦 in the period) → 2027-01-19 预计."""
    dl = compute_deadline([Received(D(2026, 12, 21))], calendar=cal)
    assert dl.due == D(2027, 1, 19)
    assert dl.provisional and dl.provisional_years == (2027,)
    assert dl.provisional_reason == "2027年放假安排尚未录入，按《全国年节及纪念日放假办法》预计，不含调休"
    assert provisional_reason([2027]) == dl.provisional_reason
    assert dl.explanation[-1] == "答复期限届满：2027年1月19日（星期二）（预计）。"
    assert any(x.startswith("预计：2027年放假安排尚未录入") and "不含调休" in x for x in dl.explanation)


def test_provisional_becomes_final_with_the_notice(cal, notice_2027_text):
    final_cal = cal.merged(load_notice(notice_2027_text))
    # Friday 2027-02-12: a working day by the statute (春节 2/5–2/10) → counted from 2/13: 2/15 … 3/12
    dl = compute_deadline([Received(D(2027, 2, 12))], calendar=cal)
    assert dl.provisional and dl.due == D(2027, 3, 12)
    # the (test) notice: 春节 2/5–2/13 off, Sunday 2/14 and Saturday 2/20 worked → received Sunday 2/14, due 3/11
    final = compute_deadline([Received(D(2027, 2, 12))], calendar=final_cal)
    assert not final.provisional and final.provisional_reason is None and final.due == D(2027, 3, 11)
    assert final.counted_from == D(2027, 2, 14)
    assert not any("预计" in x for x in final.explanation)
    # the notice may also leave the date as it was: then only the mark goes
    a, b = (compute_deadline([Received(D(2027, 1, 25))], calendar=c) for c in (cal, final_cal))
    assert a.due == b.due == D(2027, 2, 26) and a.provisional and not b.provisional


def test_a_deadline_inside_entered_years_is_never_provisional(cal):
    dl = compute_deadline([Received(D(2026, 11, 2))], calendar=cal)
    assert dl.due == D(2026, 11, 30) and not dl.provisional
