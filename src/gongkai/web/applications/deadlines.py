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


def _iso(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def law_events(application: Application, events: Iterable[CaseEvent | Pending]) -> list[law.Event]:
    out: list[law.Event] = []
    events = list(events)
    # the reply's delivery (送达) is recorded after the case closed: it belongs to the closing event
    delivered = next((ev.on for ev in events if ev.kind == EventKind.REPLY_DELIVERED), None)
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
        elif kind == EventKind.PAUSE_RECORDED:
            out.append(law.Pause(_iso(data["start"]) or on, _iso(data.get("end")), law.PauseReason.FORCE_MAJEURE,
                                 data.get("note", ""), data.get("approved_by", "")))
        elif kind == EventKind.CLOSED:
            out.append(_closed(on, data, delivered))
    return out


def _closed(on: dt.date, data: dict, delivered: dt.date | None) -> law.Event:
    """The closing event on the day the reply was sent (发出), with the days it was made and delivered."""
    return law.Closed(on, data.get("reply_type"), made=_iso(data.get("made")),
                      delivered=_iso(data.get("delivered")) or delivered)


def settings_for(application: Application, events: list[law.Event]) -> law.DeadlineSettings:
    """The body's choices (:class:`~.models.DeadlinePolicy`): the rest-day rule, and other pauses — always allowed
    when the case already has one (it was allowed when recorded; turning the setting off later must not make
    the case's history impossible)."""
    from .models import DeadlinePolicy

    policy = DeadlinePolicy.objects.filter(body_id=application.body_id).first()
    rest = policy.rest_day_next_working_day if policy is not None else True
    recorded = any(isinstance(e, law.Pause) and e.reason is law.PauseReason.FORCE_MAJEURE for e in events)
    return law.DeadlineSettings(rest_day_receipt_next_working_day=rest,
                                allow_other_pauses=recorded or (policy is not None and policy.allow_other_pauses))


def replay(application: Application, events: Iterable[CaseEvent | Pending], *, calendar: WorkingCalendar,
           today: dt.date | None = None, settings: law.DeadlineSettings | None = None,
           ) -> tuple[law.Deadline | None, str | None]:
    """The deadline, or (None, the reason) when the calendar does not cover the dates needed.

    An impossible history raises :class:`LawError` whatever the calendar (it is validated first against a
    calendar that assumes plain weekends, so a missing year never hides a wrong event). ``settings`` default to
    the body's (:func:`settings_for`)."""
    evs = law_events(application, events)
    settings = settings or settings_for(application, evs)
    lenient = WorkingCalendar(calendar.entries(), covered_years=calendar.covered_years, assume_weekends=True)
    law.compute_deadline(evs, calendar=lenient, settings=settings, today=today)  # LawError: an impossible history
    try:
        return law.compute_deadline(evs, calendar=calendar, settings=settings, today=today), None
    except LawError as exc:
        return None, str(exc)
