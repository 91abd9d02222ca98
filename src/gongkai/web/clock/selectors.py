"""The working calendar built from the database (cached per process until the data changes)."""
from __future__ import annotations

import threading

from django.db.models import Count, Max

from ...law.calendar import CalendarDay, DayKind, WorkingCalendar
from .models import CalendarEntry, CalendarYear

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
    calendar = WorkingCalendar(days, covered_years=years)
    with _lock:
        _cache["version"], _cache["calendar"] = version, calendar
    return calendar


def calendar_years() -> list[CalendarYear]:
    return list(CalendarYear.objects.annotate(n=Count("entries")).order_by("-year"))
