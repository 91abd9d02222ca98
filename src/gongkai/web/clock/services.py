"""Changing the calendar. Every change replaces whole years and then calls the registered listeners
(``applications`` registers the recomputation of open deadlines), inside the same transaction."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction

from ...law.calendar import WorkingCalendar, chinesecalendar_years, dump_notice, load_notice, seed_from_chinesecalendar
from ..audit.services import audit_record
from .models import CalendarEntry, CalendarYear

# Listeners called as listener(actor=, years=, reason=) after the calendar changed (style.md §7: a tiny registry).
CHANGE_LISTENERS: list[Callable[..., Any]] = []


def on_calendar_change(func: Callable[..., Any]) -> Callable[..., Any]:
    if func not in CHANGE_LISTENERS:
        CHANGE_LISTENERS.append(func)
    return func


def _store(calendar: WorkingCalendar, *, source: str, text: str, actor: Any) -> list[int]:
    years = list(calendar.covered_years)
    for year in years:
        before = list(CalendarEntry.objects.filter(date__year=year).values_list("date", "kind", "name"))
        CalendarYear.objects.filter(year=year).delete()
        cy = CalendarYear.objects.create(year=year, source=source, notice_text=text or dump_notice(calendar, [year]),
                                         loaded_by=actor if getattr(actor, "is_authenticated", False) else None)
        CalendarEntry.objects.bulk_create(
            [CalendarEntry(calendar_year=cy, date=e.date, kind=e.kind.value, name=e.name)
             for e in calendar.entries(year)])
        audit_record(actor=actor, action="calendar.year_loaded", subject=cy,
                     before={"entries": len(before)} if before else None,
                     after={"year": year, "source": source, "entries": len(calendar.entries(year))})
    return years


@transaction.atomic
def calendar_seed(*, years: Iterable[int] | None = None, actor: Any = None, replace: bool = False) -> list[int]:
    """Load the years chinesecalendar covers (default: all) that are not in the database yet."""
    have = set(CalendarYear.objects.values_list("year", flat=True))
    wanted = sorted(set(years) if years is not None else set(chinesecalendar_years()))
    todo = [y for y in wanted if replace or y not in have]
    if not todo:
        return []
    calendar = WorkingCalendar(seed_from_chinesecalendar(todo), covered_years=todo)
    stored = _store(calendar, source="chinesecalendar", text="", actor=actor)
    _notify(actor=actor, years=stored, reason="载入 chinesecalendar 节假日数据")
    return stored


@transaction.atomic
def calendar_load_notice(*, text: str, title: str, actor: Any) -> list[int]:
    """Load an administrator's notice table (``gongkai.law.calendar.load_notice`` syntax); replaces its years."""
    calendar = load_notice(text)
    stored = _store(calendar, source=title.strip() or "管理员录入", text=text, actor=actor)
    _notify(actor=actor, years=stored, reason=f"录入节假日安排：{title.strip() or '管理员录入'}")
    return stored


def _notify(*, actor: Any, years: list[int], reason: str) -> None:
    for listener in CHANGE_LISTENERS:
        listener(actor=actor, years=years, reason=reason)
