"""From stored case events to :mod:`gongkai.law.deadlines` events and back: the only bridge to the engine."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ...errors import LawError
from ...law import deadlines as law
from ...law.calendar import WorkingCalendar
from .models import LAW_CHANNEL, Application, CaseEvent, EventKind


@dataclass(frozen=True)
class Pending:
    """An event not stored yet (validated by replaying it with the stored ones)."""

    kind: str
    on: dt.date
    data: dict


def law_events(application: Application, events: Iterable[CaseEvent | Pending]) -> list[law.Event]:
    out: list[law.Event] = []
    for ev in events:
        kind, on, data = ev.kind, ev.on, ev.data or {}
        if kind == EventKind.RECEIVED:
            out.append(law.Received(on, law.Channel(LAW_CHANNEL[application.channel])))
        elif kind == EventKind.CORRECTION_NOTICE:
            reply_by = data.get("reply_by")
            out.append(law.CorrectionNoticed(on, dt.date.fromisoformat(reply_by) if reply_by else None))
        elif kind == EventKind.CORRECTION_RECEIVED:
            out.append(law.CorrectionReceived(on))
        elif kind == EventKind.PAUSE_STARTED:
            out.append(law.PauseStarted(on, law.PauseReason(data.get("reason", "third_party"))))
        elif kind == EventKind.PAUSE_ENDED:
            out.append(law.PauseEnded(on, law.PauseReason(data.get("reason", "third_party"))))
        elif kind == EventKind.EXTENDED:
            out.append(law.Extended(on, int(data["days"]), data.get("approved_by", "")))
        elif kind == EventKind.FEE_NOTICE:
            received = data.get("received")
            out.append(law.FeeNoticed(on, dt.date.fromisoformat(received) if received else None))
        elif kind == EventKind.FEE_PAID:
            out.append(law.FeePaid(on))
        elif kind == EventKind.CLOSED:
            out.append(law.Closed(on, data.get("reply_type")))
    return out


def replay(application: Application, events: Iterable[CaseEvent | Pending], *, calendar: WorkingCalendar,
           today: dt.date | None = None) -> tuple[law.Deadline | None, str | None]:
    """The deadline, or (None, the reason) when the calendar does not cover the dates needed.

    An impossible history raises :class:`LawError` whatever the calendar (it is validated first against a
    calendar that assumes plain weekends, so a missing year never hides a wrong event)."""
    evs = law_events(application, events)
    lenient = WorkingCalendar(calendar.entries(), covered_years=calendar.covered_years, assume_weekends=True)
    law.compute_deadline(evs, calendar=lenient, today=today)  # raises LawError on an impossible history
    try:
        return law.compute_deadline(evs, calendar=calendar, today=today), None
    except LawError as exc:
        return None, str(exc)
