"""The State Council's notice pasted as published: read into the same calendar chinesecalendar gives."""
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.errors import LawError
from gongkai.law import default_calendar, dump_notice, load_notice
from gongkai.law.notice import looks_like_official_notice, parse_official_notice

DATA = Path(__file__).parent / "data"


def days_of(year):
    d = date(year, 1, 1)
    while d.year == year:
        yield d
        d += timedelta(days=1)


@pytest.mark.parametrize("year", [2024, 2025])
def test_official_notice_agrees_with_chinesecalendar_every_day(year):
    text = (DATA / f"notice-{year}-official.txt").read_text(encoding="utf-8")
    assert looks_like_official_notice(text)
    cal = load_notice(text)
    seeded = default_calendar()
    assert cal.covered_years == (year,)
    assert [d for d in days_of(year) if cal.is_working_day(d) != seeded.is_working_day(d)] == []
    assert load_notice(dump_notice(cal)) == cal


def test_names_and_the_encouragement_sentence():
    cal = load_notice((DATA / "notice-2024-official.txt").read_text(encoding="utf-8"))
    assert cal.entry(date(2024, 2, 9)) is None  # 除夕 is only encouraged, not a holiday
    assert cal.entry(date(2024, 10, 12)).name == "国庆节"
    assert cal.entry(date(2024, 6, 10)).name == "端午节"  # 与周末连休
    cal25 = load_notice((DATA / "notice-2025-official.txt").read_text(encoding="utf-8"))
    assert cal25.entry(date(2025, 10, 8)).name == "国庆节、中秋节"


def test_pasted_on_one_line():
    text = ("国务院办公厅关于2024年部分节假日安排的通知 一、元旦：1月1日放假，与周末连休。"
            "三、清明节：4月4日至6日放假调休，共3天。4月7日（星期日）上班。")
    cal = parse_official_notice(text)
    assert not cal.is_working_day(date(2024, 4, 5)) and cal.is_working_day(date(2024, 4, 7))


def test_days_of_the_previous_year_are_left_out():
    text = "2023年部分节假日安排\n一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。\n"
    cal = parse_official_notice(text)
    assert cal.covered_years == (2023,)
    assert [e.date for e in cal.entries()] == [date(2023, 1, 1), date(2023, 1, 2)]


def test_range_across_months():
    cal = parse_official_notice("一、春节：1月28日至2月4日放假调休，共8天。", year=2025)
    assert len(cal.entries()) == 8


@pytest.mark.parametrize(("text", "message"), [
    ("一、元旦：1月1日放假。", "无法从通知中确定年度"),
    ("2027年部分节假日安排\n一、春节：2月8日（周一）上班。", "不是星期六或星期日"),
    ("2027年部分节假日安排\n一、春节：2月30日放假。", "日期不存在"),
    ("2027年部分节假日安排\n一、春节：2月6日放假。二、调休：2月6日（周六）上班。", "既被定为放假又被定为上班"),
    ("2027年部分节假日安排\n一、说明：另行通知。", "没有读出"),
])
def test_errors(text, message):
    with pytest.raises(LawError, match=message):
        parse_official_notice(text)


def test_a_table_is_not_mistaken_for_a_notice():
    assert not looks_like_official_notice((DATA / "notice-2027.txt").read_text(encoding="utf-8"))


NUMERALS = "一二三四五六七八九"
WEEK = "一二三四五六日"


@st.composite
def notices(draw):
    """A notice in the published style: items with a range of days off and weekend days worked."""
    year = draw(st.integers(2027, 2035))
    day = date(year, 1, 1)
    items, expected = [], {}
    for i in range(draw(st.integers(1, 7))):
        first = day + timedelta(days=draw(st.integers(1, 40)))
        length = draw(st.integers(1, 9))
        last = first + timedelta(days=length - 1)
        if last.year != year:
            break
        name = f"节日{i}"
        same_month = first.month == last.month and draw(st.booleans())
        end = f"{last.day}日" if same_month else f"{last.month}月{last.day}日"
        span = f"{first.month}月{first.day}日" if length == 1 else f"{first.month}月{first.day}日至{end}"
        text = f"{NUMERALS[i]}、{name}：{span}放假调休，共{length}天。"
        for k in range(length):
            expected[first + timedelta(days=k)] = ("holiday", name)
        worked = [d for d in (first - timedelta(days=3), last + timedelta(days=3))
                  if d.weekday() >= 5 and d.year == year and d not in expected]
        if worked:
            text += "、".join(f"{d.month}月{d.day}日（星期{WEEK[d.weekday()]}）" for d in worked) + "上班。"
            expected.update({d: ("makeup_workday", name) for d in worked})
        items.append(text)
        day = last + timedelta(days=5)
    title = f"国务院办公厅关于{year}年部分节假日安排的通知\n"
    return year, title + "\n".join(items), expected


@settings(max_examples=100, deadline=None)
@given(notices())
def test_generated_notices_read_back(notice):
    year, text, expected = notice
    if not expected:
        return
    cal = load_notice(text)
    assert cal.covered_years == (year,)
    assert {e.date: (e.kind.value, e.name) for e in cal.entries()} == expected
