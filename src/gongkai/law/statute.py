"""A provisional calendar for a year whose holiday notice is not entered yet, built from the statute.

《全国年节及纪念日放假办法》 as revised in 2024 (in force from 2025-01-01), 第二条 — the days every citizen has off:

- 元旦 1 day (1 January); 春节 4 days (农历除夕, 正月初一至初三); 清明节 1 day (the 清明 solar term);
  劳动节 2 days (1–2 May); 端午节 1 day (农历五月初五); 中秋节 1 day (农历八月十五); 国庆节 3 days (1–3 October);
- 第六条: a holiday that falls on a Saturday or Sunday is made up on a working day (补假). Here each such day
  (and a day two festivals share, as 中秋 on 1 October) is made up on the first weekday after the festival that
  is not already off.

Everything else the yearly State Council notice decides — longer breaks, the weekend days worked (调休上班) —
is unknown until the notice is published, so a deadline counted on this calendar is only an estimate (预计).

Lunar dates and the 清明 solar term come from ``lunar-python`` (6tail; pure Python, MIT). Its 除夕, 清明, 端午
and 中秋 agree with every official calendar since 2008 (``tests/law/test_statute.py`` checks them against the
``chinesecalendar`` data).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

from ..errors import LawError
from .calendar import CalendarDay, DayKind

STATUTE = "《全国年节及纪念日放假办法》"
STATUTE_IN_FORCE = date(2025, 1, 1)  # the 2024 revision (国务院令第795号)
FIRST_YEAR = STATUTE_IN_FORCE.year
LAST_YEAR = 2199  # far beyond any deadline; the lunar tables go further

_ONE_DAY = timedelta(days=1)
MAKEUP_SUFFIX = "（补假）"


def _lunar(year: int, month: int, day: int) -> date:
    from lunar_python import Lunar  # type: ignore[import-untyped]

    s = Lunar.fromYmd(year, month, day).getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay())


def qingming(year: int) -> date:
    """The day of the 清明 solar term (4, 5 or 6 April)."""
    from lunar_python import Solar

    s = Solar.fromYmd(year, 4, 20).getLunar().getJieQiTable()["清明"]
    return date(s.getYear(), s.getMonth(), s.getDay())


def festivals(year: int) -> list[tuple[str, list[date]]]:
    """The festivals of 第二条 in ``year``, each with its statutory days, in date order (any year: the dates
    of the festivals, whatever the statute in force)."""
    new_year = _lunar(year, 1, 1)  # 正月初一 falls between 21 January and 20 February
    spring = [new_year - _ONE_DAY, new_year, new_year + _ONE_DAY, new_year + 2 * _ONE_DAY]
    out = [("元旦", [date(year, 1, 1)]), ("春节", spring), ("清明节", [qingming(year)]),
           ("劳动节", [date(year, 5, 1), date(year, 5, 2)]), ("端午节", [_lunar(year, 5, 5)]),
           ("中秋节", [_lunar(year, 8, 15)]), ("国庆节", [date(year, 10, d) for d in (1, 2, 3)])]
    return sorted(out, key=lambda f: f[1][0])


def check_year(year: int) -> None:
    if not applies(year):
        raise LawError(f"{year}年不适用2024年修订的{STATUTE}（{FIRST_YEAR}年起施行），无法预计节假日。")


@lru_cache(maxsize=64)
def statutory_days(year: int) -> tuple[CalendarDay, ...]:
    """The days off of ``year`` by the statute alone (第二条 and the 补假 of 第六条), in date order.

    A festival day shared with another festival (中秋 on 1 October) is named after both.
    """
    check_year(year)
    off: dict[date, CalendarDay] = {}
    for name, days in festivals(year):
        owed = 0
        for d in days:
            prior = off.get(d)
            if prior is not None:  # two festivals on one day: the day is off once, the other is made up
                off[d] = CalendarDay(d, DayKind.HOLIDAY, f"{prior.name}、{name}")
                owed += 1
                continue
            off[d] = CalendarDay(d, DayKind.HOLIDAY, name)
            if d.weekday() >= 5:
                owed += 1
        d = days[-1]
        while owed:
            d += _ONE_DAY
            if d.weekday() < 5 and d not in off:
                off[d] = CalendarDay(d, DayKind.HOLIDAY, name + MAKEUP_SUFFIX)
                owed -= 1
    return tuple(sorted((e for e in off.values() if e.date.year == year), key=lambda e: e.date))


@lru_cache(maxsize=64)
def statutory_map(year: int) -> dict[date, CalendarDay]:
    """:func:`statutory_days` by date (what the calendar looks days up in)."""
    return {e.date: e for e in statutory_days(year)}


def applies(year: int) -> bool:
    """Whether the provisional calendar can be built for ``year``."""
    return FIRST_YEAR <= year <= LAST_YEAR


def provisional_reason(years: Iterable[int]) -> str:
    """「2027年放假安排尚未录入，按《全国年节及纪念日放假办法》预计，不含调休」."""
    ys = sorted(set(years))
    text = "、".join(f"{y}年" for y in ys)
    return f"{text}放假安排尚未录入，按{STATUTE}预计，不含调休"


def provisional_line(years: Iterable[int]) -> str:
    """The explanation's line for a count that ran through provisional years."""
    return (f"预计：{provisional_reason(years)}（按法定节日及逢周末的补假计算，第二条、第六条）；"
            "国务院办公厅放假安排录入后将重新计算。")


__all__ = ["FIRST_YEAR", "MAKEUP_SUFFIX", "STATUTE", "STATUTE_IN_FORCE", "applies", "check_year", "festivals",
           "provisional_line", "provisional_reason", "qingming", "statutory_days", "statutory_map"]
