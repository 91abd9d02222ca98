"""The working-day calendar: seeded from chinesecalendar, extended by notice tables, never guessing silently."""
from datetime import date, timedelta

import chinese_calendar
import pytest

from gongkai.errors import LawError
from gongkai.law import (
    CalendarDay,
    DayKind,
    WorkingCalendar,
    chinesecalendar_years,
    dump_notice,
    load_notice,
    parse_date,
    seed_from_chinesecalendar,
)

D = date


# --- the seed --------------------------------------------------------------------------------------

def test_seed_covers_what_chinesecalendar_covers(cal):
    years = chinesecalendar_years()
    assert cal.covered_years == years
    assert years[0] <= 2019 and years[-1] >= 2026


def test_seed_agrees_with_chinesecalendar_on_every_day(cal):
    d = date(cal.covered_years[0], 1, 1)
    end = date(cal.covered_years[-1], 12, 31)
    disagree = []
    while d <= end:
        if cal.is_working_day(d) != chinese_calendar.is_workday(d):
            disagree.append(d)
        d += timedelta(days=1)
    assert disagree == []


def test_seed_names_are_chinese():
    names = {e.name for e in seed_from_chinesecalendar([2024])}
    assert names == {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}


def test_seed_refuses_years_it_lacks():
    with pytest.raises(LawError, match="2099年"):
        seed_from_chinesecalendar([2099])


@pytest.mark.parametrize(("day", "working", "why"), [
    (D(2024, 4, 4), False, "清明节 holiday on a Thursday"),
    (D(2024, 4, 7), True, "Sunday worked for 清明节"),
    (D(2024, 4, 28), True, "Sunday worked for 劳动节"),
    (D(2024, 5, 11), True, "Saturday worked for 劳动节"),
    (D(2024, 10, 1), False, "国庆节"),
    (D(2024, 10, 7), False, "国庆节, a Monday"),
    (D(2024, 9, 29), True, "Sunday worked for 国庆节"),
    (D(2024, 10, 12), True, "Saturday worked for 国庆节"),
    (D(2024, 10, 13), False, "an ordinary Sunday"),
    (D(2024, 10, 14), True, "an ordinary Monday"),
])
def test_2024_days_of_law_md(cal, day, working, why):
    assert cal.is_working_day(day) is working, why


@pytest.mark.parametrize(("start", "n", "due"), [
    (D(2024, 3, 4), 7, D(2024, 3, 13)),
    (D(2024, 3, 20), 20, D(2024, 4, 18)),
    (D(2024, 3, 20), 40, D(2024, 5, 17)),
    (D(2024, 9, 27), 20, D(2024, 10, 30)),
    (D(2024, 9, 27), 0, D(2024, 9, 27)),
    (D(2024, 9, 30), 1, D(2024, 10, 8)),
])
def test_add_working_days(cal, start, n, due):
    assert cal.add_working_days(start, n) == due


def test_count_start_day_setting(cal):
    # Counting from the day itself: Monday 2024-03-04 is day 1, so day 7 is Tuesday 2024-03-12.
    assert cal.add_working_days(D(2024, 3, 4), 7, count_start=True) == D(2024, 3, 12)
    # A holiday start day cannot count itself.
    assert cal.add_working_days(D(2024, 10, 1), 1, count_start=True) == D(2024, 10, 8)


def test_count_trace_explains_the_national_day(cal):
    c = cal.count(D(2024, 9, 27), 20)
    assert c.end == D(2024, 10, 30) and len(c.counted) == 20
    assert [e.date for e in c.makeup_days] == [D(2024, 9, 29), D(2024, 10, 12)]
    assert [e.date for e in c.holidays] == [D(2024, 10, d) for d in range(1, 8)]
    assert {e.name for e in c.holidays} == {"国庆节"}
    # 9/28 Sat, 10/13, 10/19, 10/20, 10/26, 10/27
    assert c.weekend_days == 6


def test_working_days_between(cal):
    assert cal.working_days_between(D(2024, 9, 27), D(2024, 10, 30)) == 20
    assert cal.working_days_between(D(2024, 10, 30), D(2024, 9, 27)) == -20
    assert cal.working_days_between(D(2024, 10, 1), D(2024, 10, 7)) == 0
    assert list(cal.working_days(D(2024, 10, 5), D(2024, 10, 9))) == [D(2024, 10, 8), D(2024, 10, 9)]


def test_negative_or_absurd_count_is_refused(cal):
    with pytest.raises(LawError, match="负数"):
        cal.add_working_days(D(2024, 1, 2), -1)
    with pytest.raises(LawError, match="过大"):
        WorkingCalendar([], covered_years=[], assume_weekends=True).add_working_days(D(2024, 1, 2), 10**9)


# --- coverage --------------------------------------------------------------------------------------

def test_uncovered_year_raises_in_chinese(cal):
    strict = WorkingCalendar(cal.entries(), covered_years=cal.covered_years)  # no provisional years
    with pytest.raises(LawError) as err:
        strict.add_working_days(D(2026, 12, 20), 20)
    assert "2027年的工作日历尚未录入" in str(err.value)
    assert "国务院办公厅关于2027年部分节假日安排的通知" in str(err.value)
    with pytest.raises(LawError):
        cal.is_working_day(D(2003, 6, 2))


def test_assume_weekends_is_explicit_and_reported():
    cal = WorkingCalendar([], covered_years=[], assume_weekends=True)
    c = cal.count(D(2030, 1, 4), 5)  # Friday
    assert c.end == D(2030, 1, 11)
    assert c.assumed_years == (2030,)


def test_entries_outside_covered_years_are_refused():
    with pytest.raises(LawError, match="2025年"):
        WorkingCalendar([CalendarDay(D(2025, 1, 1), DayKind.HOLIDAY)], covered_years=[2024])


def test_mapping_constructor():
    cal = WorkingCalendar({D(2030, 1, 1): False, D(2030, 1, 5): True, D(2030, 1, 7): DayKind.HOLIDAY,
                           D(2030, 1, 8): True}, covered_years=[2030])
    assert not cal.is_working_day(D(2030, 1, 1))
    assert cal.is_working_day(D(2030, 1, 5))  # a Saturday made a working day
    assert not cal.is_working_day(D(2030, 1, 7))
    # True on a weekday says nothing: no entry
    assert [e.date for e in cal.entries()] == [D(2030, 1, 1), D(2030, 1, 5), D(2030, 1, 7)]


def test_conflicting_entries_are_refused():
    with pytest.raises(LawError, match="既被定为放假又被定为上班"):
        WorkingCalendar([CalendarDay(D(2030, 1, 5), DayKind.HOLIDAY),
                         CalendarDay(D(2030, 1, 5), DayKind.MAKEUP_WORKDAY)])


# --- the administrator's notice --------------------------------------------------------------------

def test_2027_notice_is_addable(cal, cal_2027, notice_2027_text):
    notice = load_notice(notice_2027_text)
    assert notice.covered_years == (2027,)
    assert cal_2027.covered_years == (*cal.covered_years, 2027)
    assert not cal_2027.is_working_day(D(2027, 1, 1))
    assert cal_2027.is_working_day(D(2027, 2, 14))  # Sunday worked
    assert not cal_2027.is_working_day(D(2027, 10, 7))
    # 2026-12-31 Thursday; 2027-01-01..03 off; Jan 4 (Mon) is day 1.
    assert cal_2027.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    c = cal_2027.count(D(2026, 12, 20), 20)
    assert c.end == D(2027, 1, 18)  # 12/21–25, 12/28–31, 1/4–8, 1/11–15, 1/18
    assert {e.name for e in c.holidays} == {"元旦"}
    # the seeded years are untouched
    assert cal_2027.add_working_days(D(2024, 9, 27), 20) == D(2024, 10, 30)


def test_notice_round_trip(cal, cal_2027):
    back = load_notice(dump_notice(cal_2027))
    assert back.entries() == cal_2027.entries() and back.covered_years == cal_2027.covered_years
    text = dump_notice(cal, [2024])  # in Chinese: what a person reads and edits
    assert text.startswith("年度 2024\n")
    assert "2024-10-01至2024-10-07 放假 国庆节" in text
    assert "2024-09-29 上班 国庆节" in text
    assert "holiday" not in text and "workday" not in text and ".." not in text


def test_notice_accepts_chinese_and_csv_forms():
    cal = load_notice("年度 2030\n1月1日,放假,元旦\n2030/02/02，上班，春节\n2月3日至9日 休 春节\n")
    assert cal.covered_years == (2030,)
    assert cal.entry(D(2030, 1, 1)) == CalendarDay(D(2030, 1, 1), DayKind.HOLIDAY, "元旦")
    assert cal.entry(D(2030, 2, 2)).kind is DayKind.MAKEUP_WORKDAY
    assert [e.date.day for e in cal.entries() if e.date.month == 2 and e.kind is DayKind.HOLIDAY] == list(range(3, 10))


def test_notice_full_width_and_bom():
    cal = load_notice("\ufeffyear ２０３０\n２０３０－０１－０１　holiday　元旦\n")
    assert cal.covered_years == (2030,) and not cal.is_working_day(D(2030, 1, 1))


def test_notice_rows():
    cal = load_notice([("2030-01-01", "holiday", "元旦"), (D(2030, 1, 5), DayKind.MAKEUP_WORKDAY, "元旦")])
    assert cal.is_working_day(D(2030, 1, 5))


def test_a_year_without_holidays_can_be_declared():
    assert load_notice("year 2031\n").covered_years == (2031,)


@pytest.mark.parametrize(("text", "message"), [
    ("year 2027\n2027-02-08 workday 春节\n", "第2行：2027-02-08是星期一"),
    ("2027-13-01 holiday 元旦\n", "第1行"),
    ("1月1日 holiday 元旦\n", "请先写一行“年度 2027”"),
    ("2027-01-01 vacation 元旦\n", "无法识别的类型"),
    ("2027-01-01\n", "第1行"),
    ("2027-03-01..2027-01-01 holiday 元旦\n", "起始日期晚于结束日期"),
    ("2027-01-01..2027-03-01 holiday 元旦\n", "超过31天"),
    ("# nothing\n", "为空"),
    ("2027-02-06 holiday 春节\n2027-02-06 workday 春节\n", "既被定为放假又被定为上班"),
])
def test_notice_errors_name_the_line(text, message):
    with pytest.raises(LawError, match=message):
        load_notice(text)


def test_merge_replaces_whole_years(cal):
    override = load_notice("year 2024\n2024-10-01..2024-10-03 holiday 国庆节\n")  # a region's own 2024
    merged = cal.merged(override)
    assert merged.is_working_day(D(2024, 10, 4))
    assert not merged.is_working_day(D(2024, 10, 12))  # the national make-up Saturday is gone with the year
    assert merged.is_working_day(D(2023, 10, 9))
    assert merged.without_years([2024]).covered_years == tuple(y for y in cal.covered_years if y != 2024)


@pytest.mark.parametrize(("text", "day"), [
    ("2024-09-27", D(2024, 9, 27)), ("2024/9/27", D(2024, 9, 27)), ("2024年9月27日", D(2024, 9, 27)),
    (" 2024.09.27 ", D(2024, 9, 27)),
])
def test_parse_date(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["2024-02-30", "27/09/2024", "明天", ""])
def test_parse_date_errors(text):
    with pytest.raises(LawError):
        parse_date(text)


def test_a_region_overlays_single_days(cal):
    # e.g. a region's own festival day off on Tuesday 2024-06-18 (illustrative)
    region = cal.overlaid([CalendarDay(D(2024, 6, 18), DayKind.HOLIDAY, "地方节日")])
    assert not region.is_working_day(D(2024, 6, 18)) and cal.is_working_day(D(2024, 6, 18))
    assert region.add_working_days(D(2024, 6, 17), 1) == D(2024, 6, 19)
    assert region.covered_years == cal.covered_years
    assert region.is_working_day(D(2024, 10, 12))  # the national notice still holds
    with pytest.raises(LawError, match="2027年"):
        cal.overlaid([CalendarDay(D(2027, 1, 1), DayKind.HOLIDAY)])
