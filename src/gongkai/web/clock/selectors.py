"""The working calendar built from the database (cached per process until the data changes).

A year whose notice is not entered is counted on the provisional calendar of 《全国年节及纪念日放假办法》
(:mod:`gongkai.law.statute`), so a deadline can always be computed; it is then marked 预计."""
from __future__ import annotations

import datetime as dt
import threading

from django.db.models import Count, Max
from django.utils import timezone

from ...law.calendar import CalendarDay, DayKind, WorkingCalendar
from ...law.statute import STATUTE, applies, provisional_reason
from .models import CalendarEntry, CalendarYear

REMIND_FROM = (11, 1)  # from 1 November the administrator is reminded to enter next year's notice

_lock = threading.Lock()
_cache: dict[str, object] = {}


def calendar_version() -> tuple[object, ...]:
    agg = CalendarYear.objects.aggregate(n=Count("id"), last=Max("loaded_at"), years=Max("year"))
    return (agg["n"], agg["last"], agg["years"], CalendarEntry.objects.count())


def working_calendar() -> WorkingCalendar:
    version = calendar_version()
    with _lock:
        if _cache.get("version") == version:
            return _cache["calendar"]  # type: ignore[return-value]
    years = list(CalendarYear.objects.values_list("year", flat=True))
    days = [CalendarDay(d, DayKind(k), n) for d, k, n in CalendarEntry.objects.values_list("date", "kind", "name")]
    calendar = WorkingCalendar(days, covered_years=years, provisional=True)
    with _lock:
        _cache["version"], _cache["calendar"] = version, calendar
    return calendar


def calendar_years() -> list[CalendarYear]:
    return list(CalendarYear.objects.annotate(n=Count("entries")).order_by("-year"))


def missing_notice_years(today: dt.date | None = None) -> list[int]:
    """The years whose notice an administrator should enter now: this year, and from 1 November next year."""
    today = today or timezone.localdate()
    wanted = [today.year] + ([today.year + 1] if (today.month, today.day) >= REMIND_FROM else [])
    have = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    return [y for y in wanted if y not in have and applies(y)]


def calendar_reminders(today: dt.date | None = None) -> list[str]:
    """The reminders the administrator sees (desk and calendar page) until the notice is entered."""
    return [f"{provisional_reason([y])}：国务院办公厅关于{y}年部分节假日安排的通知发布后，请在“工作日历”中录入"
            f"（可直接粘贴通知原文）。录入前，涉及{y}年的答复期限按{STATUTE}预计，标注“预计”；"
            "录入后，未办结申请的期限自动重新计算并记入各案件。"
            for y in missing_notice_years(today)]
