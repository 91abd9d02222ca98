"""The law as code: working days, deadlines, fees and the reply taxonomy.

Pure functions over plain data — no Django, no settings: every rule takes what it needs as arguments.

Working days (:mod:`gongkai.law.calendar`)
    ``WorkingCalendar(days, *, covered_years, assume_weekends=False)`` — built from :class:`CalendarDay`
    entries (``date``, ``kind``: :class:`DayKind` ``holiday`` | ``makeup_workday``, ``name``).
    ``is_working_day(d)``, ``add_working_days(start, n, *, count_start=False, exclude=())``, ``count(...)`` (the
    same with its trace, a :class:`Count`), ``working_days_between(a, b)``, ``covered_years``, ``entries(year)``,
    ``merged(other)`` (other's years replace ours), ``overlaid(days)`` (a region's single days on top).
    A date outside the covered years raises :class:`LawError`.
    ``seed_from_chinesecalendar(years)`` → entries for 2004–2026; ``default_calendar()`` → those years, cached,
    provisional beyond them; ``load_notice(text_or_rows)`` → a calendar from an administrator's table
    (``2027-01-01至2027-01-03 放假 元旦`` / ``2027-02-07 上班 春节``; ``holiday``/``workday`` are read too) or from the
    State Council notice pasted as published
    (:func:`gongkai.law.notice.parse_official_notice`); ``dump_notice(calendar)`` writes the table back;
    ``parse_date(text)`` reads a date a person typed.
    ``WorkingCalendar(..., provisional=True)``: a year from 2025 whose notice is not entered is counted on the
    statute's provisional calendar (:mod:`gongkai.law.statute`: ``statutory_days(year)``, the holidays of
    《全国年节及纪念日放假办法》 and their 补假, no 调休); ``Count.provisional_years`` and
    ``Deadline.provisional`` / ``provisional_reason`` say so (预计).

Deadlines (:mod:`gongkai.law.deadlines`, events in :mod:`gongkai.law.events`)
    Events: :class:`Received` (date, :class:`Channel`), :class:`CorrectionNoticed` (date, reply_by),
    :class:`CorrectionReceived`, :class:`PauseStarted` / :class:`PauseEnded` or :class:`Pause` (start, end,
    :class:`PauseReason`), :class:`Extended` (date, days, approved_by), :class:`ReasonableDelay` (date, due,
    reason; 第三十五条), :class:`FeeNoticed` (date, received),
    :class:`FeePaid`, :class:`Closed` (date, row_key).
    ``compute_deadline(events, *, calendar, settings=DeadlineSettings(), today=None)`` → :class:`Deadline`,
    under the rules in force on the receipt date (``rules_for(received)`` → :class:`Rules`: the 2008 条例 before
    2019-05-15, 15 + 15 working days; the 2019 条例 from then, 20 + 20); a receipt on a rest day counts from the
    next working day (``effective_receipt``; a setting, on by default)
    (``due``, ``base_due``, ``correction_notice_due``, ``fee_payment_due``, ``paused_days``, ``status``
    (:class:`DeadlineStatus`), ``lapsed_row``, ``explanation`` — Chinese lines).
    ``receipt_date(channel, *, submitted, signed_for=None, confirmed=None)`` (第三十一条); ``due_date``,
    ``correction_notice_due``, ``fee_payment_due``, ``proactive_due`` for single questions;
    ``deadline_change(before, after)`` → the Chinese log line when a recomputation moved a due date.

Fees (:mod:`gongkai.law.fees`)
    ``fee_by_items(count, *, already=0)`` (按件), ``fee_by_pages(pages)`` (按量), ``quote_fee(items=|pages=)``
    → :class:`FeeQuote` (``amount`` Decimal 元, ``tiers``, ``lines``).

Decisions (:mod:`gongkai.law.decisions`)
    ``reply_types(format_id)`` → every result leaf of section 三 as a :class:`ReplyType` (``row_key``, ``label``,
    ``basis``, ``group``); ``reply_type(key)``; ``report_row_for(outcomes, *, primary=None)`` (区分处理 →
    ``partial`` only); ``applicant_types(format_id)`` → :class:`ApplicantType`; ``cell_key_for(reply, applicant)``.

Errors: every impossible computation raises :class:`gongkai.errors.LawError` with a one-line Chinese message.
"""
from __future__ import annotations

from ..errors import LawError
from .calendar import (
    CalendarDay,
    Count,
    DayKind,
    WorkingCalendar,
    chinesecalendar_years,
    default_calendar,
    dump_notice,
    format_date,
    load_notice,
    parse_date,
    seed_from_chinesecalendar,
)
from .deadlines import (
    Channel,
    Closed,
    CorrectionNoticed,
    CorrectionReceived,
    Deadline,
    DeadlineSettings,
    DeadlineStatus,
    Event,
    Extended,
    FeeNoticed,
    FeePaid,
    Pause,
    PauseEnded,
    PauseInterval,
    PauseReason,
    PauseStarted,
    ReasonableDelay,
    Received,
    Rules,
    compute_deadline,
    correction_notice_due,
    deadline_change,
    due_date,
    effective_receipt,
    explain_count,
    fee_payment_due,
    proactive_due,
    receipt_date,
    rules_for,
)
from .fees import FeeMethod, FeeQuote, Tier, TierCharge, fee_by_items, fee_by_pages, quote_fee
from .notice import looks_like_official_notice, parse_official_notice
from .statute import provisional_reason, statutory_days

# the reply taxonomy needs the report formats (and pydantic): loaded on first use, so that `gongkai deadline`
# starts without them (PEP 562)
_DECISIONS = ("ApplicantType", "ReplyType", "applicant_type", "applicant_types", "cell_key_for", "reply_type",
              "reply_types", "report_row_for")


def __getattr__(name: str) -> object:
    if name in _DECISIONS:
        from . import decisions

        return getattr(decisions, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ApplicantType", "CalendarDay", "Channel", "Closed", "CorrectionNoticed", "CorrectionReceived", "Count",
    "DayKind", "Deadline", "DeadlineSettings", "DeadlineStatus", "Event", "Extended", "FeeMethod", "FeeNoticed",
    "FeePaid", "FeeQuote", "LawError", "Pause", "PauseEnded", "PauseInterval", "PauseReason", "PauseStarted",
    "ReasonableDelay", "Received", "ReplyType", "Rules", "Tier", "TierCharge", "WorkingCalendar", "applicant_type",
    "applicant_types", "cell_key_for", "chinesecalendar_years", "compute_deadline", "correction_notice_due",
    "deadline_change", "default_calendar", "due_date", "dump_notice", "effective_receipt", "explain_count", "fee_by_items", "fee_by_pages",
    "fee_payment_due", "format_date", "load_notice", "looks_like_official_notice", "parse_date",
    "parse_official_notice", "proactive_due", "provisional_reason", "quote_fee", "receipt_date", "reply_type",
    "reply_types", "report_row_for", "rules_for", "seed_from_chinesecalendar", "statutory_days",
]
