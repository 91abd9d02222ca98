"""The working-day calendar as data.

A working day is Monday–Friday, minus the statutory holidays, plus the weekend days the State Council's
yearly notice declares working days (调休上班). The notice is data: :class:`CalendarDay` entries, one per
holiday or make-up day, for the years a :class:`WorkingCalendar` *covers*. A date outside the covered years
raises :class:`~gongkai.errors.LawError` — the calendar never silently guesses weekends only, unless it was
built with ``assume_weekends=True`` (and then every :class:`Count` names the years it assumed). A calendar built
with ``provisional=True`` instead counts a year from 2025 on whose notice is not entered on the *provisional*
calendar of the statute (:mod:`gongkai.law.statute`: the statutory holidays and their 补假, no 调休), and every
:class:`Count` names those years in ``provisional_years``: a deadline counted through them is an estimate (预计).

Where the entries come from:

- :func:`seed_from_chinesecalendar` — the years the ``chinesecalendar`` package covers (2004–2026 in 1.11);
- :func:`load_notice` — an administrator's table for a new year (2027 and on), one line per date or range::

      # 国务院办公厅关于2027年部分节假日安排的通知
      年度 2027
      2027-01-01至2027-01-03 放假 元旦
      2027-02-07 上班 春节

- :func:`default_calendar` — the seeded years, built once per process, provisional beyond them.

Calendars are immutable; :meth:`WorkingCalendar.merged` returns a new one in which the other calendar's
covered years replace this one's (a region overriding a year, a new notice being added).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from ..errors import LawError

WEEKDAYS = "一二三四五六日"
_ONE_DAY = timedelta(days=1)
_NO_DATES: frozenset[date] = frozenset()
MAX_COUNT = 10_000  # working days in one count: some forty years, far beyond any legal period


class DayKind(StrEnum):
    """What a calendar entry says about its day."""

    HOLIDAY = "holiday"  # 放假: not a working day, whatever the weekday
    MAKEUP_WORKDAY = "makeup_workday"  # 调休上班: a weekend day that is a working day

    @property
    def label(self) -> str:
        return "放假" if self is DayKind.HOLIDAY else "调休上班"


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """One entry of a holiday notice: a day off, or a weekend day worked."""

    date: date
    kind: DayKind
    name: str = ""  # the festival: 国庆节, 春节 …

    def __post_init__(self) -> None:
        if not isinstance(self.kind, DayKind):
            object.__setattr__(self, "kind", DayKind(self.kind))


@dataclass(frozen=True, slots=True)
class Count:
    """The trace of counting ``days`` working days after ``start``: what was counted and what was skipped."""

    start: date
    days: int
    end: date
    count_start: bool  # whether ``start`` itself could count
    counted: tuple[date, ...]  # the working days counted, in order (len == days)
    holidays: tuple[CalendarDay, ...]  # holiday entries passed over
    makeup_days: tuple[CalendarDay, ...]  # weekend days counted because the notice made them working days
    weekend_days: int  # ordinary Saturdays and Sundays passed over
    excluded: tuple[date, ...]  # working days the caller excluded (pauses)
    assumed_years: tuple[int, ...]  # years counted as plain Monday–Friday (``assume_weekends``)
    provisional_years: tuple[int, ...] = ()  # years counted on the statute's provisional calendar (预计)


class WorkingCalendar:
    """Working days for a set of covered years, built from holiday and make-up-day entries.

    ``days`` is either an iterable of :class:`CalendarDay` or a mapping ``date -> DayKind | bool | CalendarDay``
    (``True`` = a working day, ``False`` = a day off). ``covered_years`` defaults to the years of the entries.
    ``provisional``: an uncovered year the 2024 statute governs (2025 on) is counted on its provisional calendar.
    """

    __slots__ = ("_covered", "_entries", "assume_weekends", "provisional")

    def __init__(self, days: Iterable[CalendarDay] | Mapping[date, DayKind | bool | CalendarDay] = (), *,
                 covered_years: Iterable[int] | None = None, assume_weekends: bool = False,
                 provisional: bool = False) -> None:
        entries: dict[date, CalendarDay] = {}
        for entry in _entries_of(days):
            if entry.date in entries and entries[entry.date].kind is not entry.kind:
                raise LawError(f"{entry.date.isoformat()} 既被定为放假又被定为上班，请核对节假日安排。")
            entries[entry.date] = entry
        covered = frozenset(covered_years) if covered_years is not None else frozenset(d.year for d in entries)
        outside = sorted({d.year for d in entries} - covered)
        if outside:
            raise LawError(f"节假日数据包含未声明年度的日期：{'、'.join(f'{y}年' for y in outside)}。")
        self._entries = entries
        self._covered = covered
        self.assume_weekends = assume_weekends
        self.provisional = provisional

    # --- data ---------------------------------------------------------------------------------
    @property
    def covered_years(self) -> tuple[int, ...]:
        """The years whose holiday notice the calendar holds, ascending."""
        return tuple(sorted(self._covered))

    def covers(self, d: date) -> bool:
        return d.year in self._covered

    def entries(self, year: int | None = None) -> list[CalendarDay]:
        """The entries (all, or of one year), in date order: what a database stores."""
        return sorted((e for e in self._entries.values() if year is None or e.date.year == year),
                      key=lambda e: e.date)

    def entry(self, d: date) -> CalendarDay | None:
        """The notice's entry for this day, if any (in a provisional year: the statute's)."""
        if d.year not in self._covered and self.is_provisional(d.year):
            return _statutory(d.year).get(d)
        return self._entries.get(d)

    def is_provisional(self, year: int) -> bool:
        """Whether ``year`` is counted on the statute's provisional calendar (no notice entered)."""
        if not self.provisional or year in self._covered:
            return False
        from .statute import applies

        return applies(year)

    def provisional_entries(self, year: int) -> list[CalendarDay]:
        """The provisional year's days off by the statute (empty for a year whose notice is entered)."""
        return list(_statutory(year).values()) if self.is_provisional(year) else []

    def provisional_years_between(self, a: date, b: date) -> tuple[int, ...]:
        """The provisional years from ``a`` to ``b`` (in either order): a count across them is an estimate."""
        lo, hi = sorted((a.year, b.year))
        return tuple(y for y in range(lo, hi + 1) if self.is_provisional(y))

    def merged(self, other: WorkingCalendar) -> WorkingCalendar:
        """A calendar where ``other``'s covered years replace this one's (whole years, never single days)."""
        keep = [e for e in self._entries.values() if e.date.year not in other._covered]
        return WorkingCalendar([*keep, *other._entries.values()], covered_years=self._covered | other._covered,
                               assume_weekends=self.assume_weekends, provisional=self.provisional)

    def overlaid(self, days: Iterable[CalendarDay]) -> WorkingCalendar:
        """A calendar with single days set on top of this one (a region's own holiday): each entry replaces
        the entry of its date; the days must fall in covered years."""
        extra = list(days)
        outside = sorted({e.date.year for e in extra} - self._covered)
        if outside:
            raise LawError(uncovered_message(outside[0], self.covered_years))
        entries = dict(self._entries)
        entries.update((e.date, e) for e in extra)
        return WorkingCalendar(entries.values(), covered_years=self._covered, assume_weekends=self.assume_weekends,
                               provisional=self.provisional)

    def without_years(self, years: Iterable[int]) -> WorkingCalendar:
        drop = frozenset(years)
        return WorkingCalendar([e for e in self._entries.values() if e.date.year not in drop],
                               covered_years=self._covered - drop, assume_weekends=self.assume_weekends,
                               provisional=self.provisional)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkingCalendar):
            return NotImplemented
        return (self._entries == other._entries and self._covered == other._covered
                and self.assume_weekends == other.assume_weekends and self.provisional == other.provisional)

    def __hash__(self) -> int:
        return hash((frozenset(self._entries.items()), self._covered, self.assume_weekends, self.provisional))

    def __repr__(self) -> str:
        years = self.covered_years
        span = f"{years[0]}–{years[-1]}" if years else "none"
        more = " provisional" if self.provisional else ""
        return f"<WorkingCalendar years={span} entries={len(self._entries)}{more}>"

    # --- questions ----------------------------------------------------------------------------
    def check_covered(self, d: date) -> None:
        """Raise :class:`LawError` if ``d`` falls in a year the calendar can count neither from a notice, nor
        provisionally, nor by assuming weekends."""
        if d.year not in self._covered and not self.assume_weekends and not self.is_provisional(d.year):
            raise LawError(uncovered_message(d.year, self.covered_years))

    def is_working_day(self, d: date) -> bool:
        self.check_covered(d)
        entry = self.entry(d)
        if entry is not None:
            return entry.kind is DayKind.MAKEUP_WORKDAY
        return d.weekday() < 5

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.add_working_days(d, 1)

    def add_working_days(self, start: date, n: int, *, count_start: bool = False,
                         exclude: Container[date] = _NO_DATES) -> date:
        """The day on which the ``n``-th working day after ``start`` falls.

        ``start`` itself is not counted unless ``count_start`` (the law's default: counting starts the next
        day). Working days in ``exclude`` (pauses) are not counted. ``n == 0`` returns ``start``.
        """
        return self.count(start, n, count_start=count_start, exclude=exclude).end

    def count(self, start: date, n: int, *, count_start: bool = False,
              exclude: Container[date] = _NO_DATES) -> Count:
        """Like :meth:`add_working_days`, with the trace the explanation is made of."""
        if n < 0:
            raise LawError(f"工作日数不能为负数（{n}）。")
        if n > MAX_COUNT:
            raise LawError(f"工作日数过大（{n}），请核对。")
        counted: list[date] = []
        holidays: list[CalendarDay] = []
        makeups: list[CalendarDay] = []
        excluded: list[date] = []
        assumed: set[int] = set()
        provisional: set[int] = set()
        weekend = 0
        d = start if count_start else start + _ONE_DAY
        if n == 0:
            return Count(start, 0, start, count_start, (), (), (), 0, (), ())
        entries, covered = self._entries, self._covered
        year, lookup = 0, entries
        while True:
            if d.year != year:  # once a year: where this year's days come from
                year, lookup = d.year, entries
                if year not in covered:
                    if self.is_provisional(year):
                        provisional.add(year)
                        lookup = _statutory(year)
                    elif self.assume_weekends:
                        assumed.add(year)
                    else:
                        raise LawError(uncovered_message(year, self.covered_years))
            entry = lookup.get(d)
            if entry is not None:
                working = entry.kind is DayKind.MAKEUP_WORKDAY
            else:
                working = d.weekday() < 5
            if working:
                if d in exclude:
                    excluded.append(d)
                else:
                    counted.append(d)
                    if entry is not None:
                        makeups.append(entry)
                    if len(counted) == n:
                        break
            elif entry is not None:
                holidays.append(entry)
            else:
                weekend += 1
            d += _ONE_DAY
        return Count(start, n, d, count_start, tuple(counted), tuple(holidays), tuple(makeups), weekend,
                     tuple(excluded), tuple(sorted(assumed)), tuple(sorted(provisional)))

    def working_days_between(self, a: date, b: date) -> int:
        """How many working days fall after ``a`` up to and including ``b`` (negative if ``b`` < ``a``)."""
        if b < a:
            return -self.working_days_between(b, a)
        n = 0
        d = a + _ONE_DAY
        while d <= b:
            if self.is_working_day(d):
                n += 1
            d += _ONE_DAY
        return n

    def working_days(self, a: date, b: date) -> Iterator[date]:
        """The working days from ``a`` to ``b``, both included."""
        d = a
        while d <= b:
            if self.is_working_day(d):
                yield d
            d += _ONE_DAY


def _statutory(year: int) -> dict[date, CalendarDay]:
    from .statute import statutory_map

    return statutory_map(year)


def uncovered_message(year: int, covered: tuple[int, ...]) -> str:
    have = f"已录入{_years_text(covered)}" if covered else "尚未录入任何年度"
    return (f"{year}年的工作日历尚未录入（{have}），无法计算工作日。"
            f"请管理员录入国务院办公厅关于{year}年部分节假日安排的通知。")


def _years_text(years: tuple[int, ...]) -> str:
    """2004–2026年, or 2024年、2027年 when not contiguous."""
    if not years:
        return ""
    if list(years) == list(range(years[0], years[-1] + 1)) and len(years) > 2:
        return f"{years[0]}–{years[-1]}年"
    return "、".join(f"{y}年" for y in years)


def _entries_of(days: Iterable[CalendarDay] | Mapping[date, DayKind | bool | CalendarDay]) -> Iterator[CalendarDay]:
    if isinstance(days, Mapping):
        for d, v in days.items():
            if isinstance(v, CalendarDay):
                yield v
            elif isinstance(v, bool):
                if v and d.weekday() >= 5:
                    yield CalendarDay(d, DayKind.MAKEUP_WORKDAY)
                elif not v:
                    yield CalendarDay(d, DayKind.HOLIDAY)
            else:
                yield CalendarDay(d, DayKind(v))
    else:
        for e in days:
            if not isinstance(e, CalendarDay):
                raise LawError(f"无法识别的日历条目：{e!r}")
            yield e


# --- the chinesecalendar seed ------------------------------------------------------------------------

_NOTICE_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}  # the State Council notices' wording


def _chinese_name(english: str) -> str:
    from chinese_calendar.constants import Holiday  # type: ignore[import-untyped]

    for h in Holiday:
        if h.value == english:
            name = str(getattr(h, "chinese", english))
            return _NOTICE_NAMES.get(name, name)
    return english


def chinesecalendar_years() -> tuple[int, ...]:
    """The years the installed ``chinesecalendar`` package holds notices for."""
    import chinese_calendar  # type: ignore[import-untyped]

    return tuple(sorted({d.year for d in chinese_calendar.holidays}))


def seed_from_chinesecalendar(years: Iterable[int] | None = None) -> list[CalendarDay]:
    """Calendar entries for ``years`` (default: every year the package covers), names in Chinese.

    Raises :class:`LawError` for a year the package does not cover.
    """
    import chinese_calendar

    have = chinesecalendar_years()
    wanted = tuple(sorted(set(years))) if years is not None else have
    missing = [y for y in wanted if y not in have]
    if missing:
        raise LawError(f"chinesecalendar 不含{_years_text(tuple(missing))}的节假日安排"
                       f"（含{_years_text(have)}），请录入国务院办公厅通知。")
    keep = set(wanted)
    out = [CalendarDay(d, DayKind.HOLIDAY, _chinese_name(n))
           for d, n in chinese_calendar.holidays.items() if d.year in keep]
    out += [CalendarDay(d, DayKind.MAKEUP_WORKDAY, _chinese_name(n))
            for d, n in chinese_calendar.workdays.items() if d.year in keep and d.weekday() >= 5]
    return sorted(out, key=lambda e: e.date)


@lru_cache(maxsize=1)
def default_calendar() -> WorkingCalendar:
    """The calendar of every year ``chinesecalendar`` covers (built once per process); a later year is counted
    on the statute's provisional calendar (``provisional=True``)."""
    return WorkingCalendar(seed_from_chinesecalendar(), covered_years=chinesecalendar_years(), provisional=True)


# --- the administrator's notice table -----------------------------------------------------------------

_HOLIDAY_WORDS = {"holiday", "off", "休", "放假", "休息", "假"}
_WORKDAY_WORDS = {"workday", "makeup_workday", "makeup", "work", "班", "上班", "调休上班", "补班"}
_RANGE = re.compile(r"\.\.|至|~|～|—|–")
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_CN = re.compile(r"^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日?$")
_MD = re.compile(r"^(\d{1,2})[-/.](\d{1,2})$")
_YEAR = re.compile(r"^(?:year|年度)?\s*[:：]?\s*(\d{4})\s*年?$", re.IGNORECASE)

_When = str | date | tuple[date, date]
NoticeRow = tuple[_When, str | DayKind, str] | tuple[_When, str | DayKind]


def load_notice(source: str | Iterable[NoticeRow], *, year: int | None = None,
                max_span: int = 31) -> WorkingCalendar:
    """Parse an administrator's holiday table into a calendar covering its years.

    ``source`` is text (one line per date or range: ``2027-01-01..2027-01-03 holiday 元旦``; ``#`` starts a
    comment; ``year 2027`` declares a year and lets later lines write ``1月1日`` or ``01-01``; kinds may be
    written ``holiday``/``放假``/``休`` or ``workday``/``上班``/``班``; fields may be separated by spaces, tabs or
    commas) or rows ``(date or range, kind, name)``. Text that reads like the published State Council notice
    (``一、元旦：1月1日放假……``) is read by :func:`gongkai.law.notice.parse_official_notice` instead.
    Errors name the line. Ranges (``..``, ``至``, ``~``) are inclusive; a make-up working day must be a
    Saturday or Sunday.
    """
    rows: list[tuple[int, int | Sequence[object]]]
    if isinstance(source, str):
        source = unicodedata.normalize("NFKC", source).lstrip("\ufeff")  # full-width digits, a BOM
        from .notice import looks_like_official_notice, parse_official_notice

        if looks_like_official_notice(source):
            return parse_official_notice(source, year=year)
        rows = list(_rows_from_text(source, year))
    else:
        rows = [(i, r) for i, r in enumerate(source, 1)]
    entries: list[CalendarDay] = []
    years: set[int] = set()
    current = year
    for lineno, row in rows:
        if isinstance(row, int):  # a "year 2027" line
            years.add(row)
            current = row
            continue
        if len(row) not in (2, 3):
            raise LawError(f"第{lineno}行：应为“日期 类型 名称”三项。")
        when, kind_text, name = row[0], row[1], (row[2] if len(row) == 3 else "")
        kind = _kind(kind_text, lineno)
        first, last = _span(when, current, lineno)
        if last < first:
            raise LawError(f"第{lineno}行：起始日期晚于结束日期。")
        if (last - first).days >= max_span:
            raise LawError(f"第{lineno}行：日期范围超过{max_span}天，请核对。")
        d = first
        while d <= last:
            if kind is DayKind.MAKEUP_WORKDAY and d.weekday() < 5:
                raise LawError(f"第{lineno}行：{d.isoformat()}是星期{WEEKDAYS[d.weekday()]}，"
                               "调休上班日应为星期六或星期日。")
            entries.append(CalendarDay(d, kind, str(name).strip()))
            years.add(d.year)
            d += _ONE_DAY
    if not years:
        raise LawError("节假日安排为空：请至少写明年度（如“年度 2027”）或一个日期。")
    seen: dict[date, CalendarDay] = {}
    for e in entries:
        prior = seen.get(e.date)
        if prior is not None and prior.kind is not e.kind:
            raise LawError(f"{e.date.isoformat()} 既被定为放假又被定为上班，请核对节假日安排。")
        seen[e.date] = e
    return WorkingCalendar(seen.values(), covered_years=years)


def _rows_from_text(text: str, year: int | None) -> Iterator[tuple[int, int | tuple[str, str, str]]]:
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip().replace("\u3000", " ")
        if not line:
            continue
        m = _YEAR.match(line)
        if m:
            yield lineno, int(m.group(1))
            continue
        parts = [p for p in re.split(r"[\s,，\t]+", line) if p]
        if len(parts) < 2:
            raise LawError(f"第{lineno}行：应为“日期 类型 名称”，实为“{line}”。")
        yield lineno, (parts[0], parts[1], " ".join(parts[2:]))


def _kind(text: object, lineno: int) -> DayKind:
    if isinstance(text, DayKind):
        return text
    t = str(text).strip().lower()
    if t in _HOLIDAY_WORDS:
        return DayKind.HOLIDAY
    if t in _WORKDAY_WORDS:
        return DayKind.MAKEUP_WORKDAY
    raise LawError(f"第{lineno}行：无法识别的类型“{text}”（应为 放假 或 上班）。")


def _span(when: object, year: int | None, lineno: int) -> tuple[date, date]:
    if isinstance(when, tuple) and len(when) == 2 and all(isinstance(x, date) for x in when):
        return when[0], when[1]
    if isinstance(when, date):
        return when, when
    parts = _RANGE.split(str(when).strip())
    if len(parts) == 1:
        d = _parse_date(parts[0], year, lineno)
        return d, d
    if len(parts) != 2:
        raise LawError(f"第{lineno}行：无法识别的日期范围“{when}”。")
    first = _parse_date(parts[0], year, lineno)
    last_text = parts[1].strip()
    if re.fullmatch(r"\d{1,2}日?", last_text):  # 10月1日至7日
        last_text = f"{first.month}月{last_text.rstrip('日')}日"
    return first, _parse_date(last_text, first.year, lineno)


def _parse_date(text: str, year: int | None, lineno: int) -> date:
    text = text.strip()
    try:
        if m := _ISO.match(text):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := _CN.match(text):
            y = int(m.group(1)) if m.group(1) else year
            if y is not None:
                return date(y, int(m.group(2)), int(m.group(3)))
        elif (m := _MD.match(text)) and year is not None:
            return date(year, int(m.group(1)), int(m.group(2)))
    except ValueError:
        raise LawError(f"第{lineno}行：日期不存在“{text}”。") from None
    hint = "（未写年份时，请先写一行“年度 2027”）" if year is None else ""
    raise LawError(f"第{lineno}行：无法识别的日期“{text}”{hint}。")


def parse_date(text: str) -> date:
    """A date typed by a person: ``2024-09-27``, ``2024/9/27``, ``2024.9.27`` or ``2024年9月27日``."""
    t = text.strip()
    try:
        if m := _ISO.match(t):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if (m := _CN.match(t)) and m.group(1):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise LawError(f"日期不存在：“{text}”。") from None
    raise LawError(f"无法识别的日期：“{text}”（应为 2024-09-27 或 2024年9月27日）。")


def dump_notice(calendar: WorkingCalendar, years: Iterable[int] | None = None) -> str:
    """The calendar's entries as a notice table :func:`load_notice` reads back (ranges joined), in Chinese:
    ``年度 2024`` / ``2024-10-01至2024-10-07 放假 国庆节`` / ``2024-09-29 上班 国庆节``."""
    lines: list[str] = []
    for y in sorted(set(years) if years is not None else calendar.covered_years):
        lines.append(f"年度 {y}")
        run: list[CalendarDay] = []
        for e in [*calendar.entries(y), None]:
            if run and (e is None or e.kind is not run[-1].kind or e.name != run[-1].name
                        or e.date != run[-1].date + _ONE_DAY):
                a, b = run[0].date, run[-1].date
                when = a.isoformat() if a == b else f"{a.isoformat()}至{b.isoformat()}"
                kind = "放假" if run[0].kind is DayKind.HOLIDAY else "上班"
                lines.append(f"{when} {kind} {run[0].name}".rstrip())
                run = []
            if e is not None:
                run.append(e)
    return "\n".join(lines) + "\n"


def format_day(d: date) -> str:
    """2026年12月5日: a date as letters and notices write it (GB/T 9704: no leading zeros, no weekday)."""
    return f"{d.year}年{d.month}月{d.day}日"


def format_date(d: date) -> str:
    """2024年10月30日（星期三）."""
    return f"{format_day(d)}（星期{WEEKDAYS[d.weekday()]}）"


__all__ = ["CalendarDay", "Count", "DayKind", "WorkingCalendar", "chinesecalendar_years", "default_calendar",
           "dump_notice", "format_date", "format_day", "load_notice", "parse_date", "seed_from_chinesecalendar", "uncovered_message"]
