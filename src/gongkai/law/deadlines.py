"""The deadline engine: a case's events replayed into its due dates, with the reasons in Chinese.

The rules (《政府信息公开条例》):

- 第三十三条第一款: reply within **20 working days** of receipt; one extension of at most **20 working days**,
  approved by the head of the disclosure office (负责人).
- 第三十三条第二款: time spent consulting a third party or another body is not counted (a *pause*).
- 第三十条: a 补正 notice within **7 working days** of receipt; the reply period **restarts** on receipt of the
  corrected application; no correction by the notice's deadline → ``other.no_correction``.
- 第四十二条 + 国办函〔2020〕109号: a fee notice pauses the period until payment (**[SETTING]**, default on); the
  applicant pays within **20 working days** from the day after receiving the notice, else ``other.no_fee``.
- 第三十一条: the receipt date depends on the channel (:func:`receipt_date`).

Events are plain immutable data (:mod:`gongkai.law.events`); :func:`compute_deadline` replays them in date
order (on one day: the receipt first, the closing last, the others in their given order) and returns a
:class:`Deadline`. An impossible history (a second extension, an extension of 30 days, a payment without a
notice, an event before receipt …) raises :class:`~gongkai.errors.LawError` with a Chinese message, so a
caller can validate a new event by replaying.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from ..errors import LawError
from ._explain import describe_count, span_text
from .calendar import Count, WorkingCalendar, format_date
from .events import (
    Channel,
    Closed,
    CorrectionNoticed,
    CorrectionReceived,
    Event,
    Extended,
    FeeNoticed,
    FeePaid,
    History,
    Pause,
    PauseEnded,
    PauseReason,
    PauseStarted,
    ReasonableDelay,
    Received,
    in_order,
    read_history,
    receipt_date,
)

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class DeadlineSettings:
    """The numbers of the law, and the points it leaves open (**[SETTING]**), with their defaults."""

    reply_days: int = 20  # 第三十三条第一款
    max_extension_days: int = 20  # 第三十三条第一款
    correction_notice_days: int = 7  # 第三十条
    fee_payment_days: int = 20  # 109号
    consultation_reply_days: int = 15  # 第三十二条、第三十四条: the consulted party's time to answer
    count_start_day: bool = False  # [SETTING] the day of receipt is not counted
    fee_pauses: bool = True  # [SETTING] a fee notice stops the clock until payment
    pause_includes_start: bool = True  # [SETTING] the day a consultation is sent is not counted
    pause_includes_end: bool = True  # [SETTING] nor the day its answer arrives

    def __post_init__(self) -> None:
        for name in ("reply_days", "max_extension_days", "correction_notice_days", "fee_payment_days",
                     "consultation_reply_days"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise LawError(f"期限设置 {name} 应为正整数，实为 {value!r}。")


class DeadlineStatus(StrEnum):
    OPEN = "open"
    PAUSED = "paused"
    AWAITING_CORRECTION = "awaiting_correction"
    OVERDUE = "overdue"
    LAPSED = "lapsed"  # the applicant missed the correction or payment deadline: deemed withdrawn
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"open": "办理中", "paused": "暂停计算", "awaiting_correction": "等待补正", "overdue": "已超期",
                "lapsed": "视为撤回", "closed": "已办结"}[self]


@dataclass(frozen=True, slots=True)
class PauseInterval:
    start: date
    end: date | None
    reason: PauseReason
    days_not_counted: int = 0  # working days of this pause inside the reply period


@dataclass(frozen=True, slots=True)
class Deadline:
    """A case's deadlines after replaying its events. ``due`` is None while it cannot be known (a pause
    without an end, a correction awaited)."""

    received: date
    start: date  # the day the reply period runs from: receipt, or receipt of the corrected application
    due: date | None
    status: DeadlineStatus
    explanation: tuple[str, ...]
    restarted: bool = False
    base_due: date | None = None  # before any extension
    extension_days: int = 0
    correction_notice_due: date | None = None
    correction_reply_by: date | None = None
    fee_payment_due: date | None = None
    consultation_reply_due: date | None = None  # an open consultation's answer is due (15 working days)
    pauses: tuple[PauseInterval, ...] = ()
    paused_days: int = 0  # working days inside the period not counted because of pauses
    days_counted: int = 0  # working days the period needs (20 + extension)
    days_used: int | None = None  # working days already run, when the period is stopped
    days_left: int | None = None  # working days from ``today`` to ``due``; when overdue, minus the working
    # days since (at least -1)
    closed: date | None = None
    late: bool = False  # closed after the due date, or overdue
    lapsed_row: str | None = None  # "other.no_correction" / "other.no_fee" when deemed withdrawn
    row_key: str | None = None  # the row the closing event gave
    warnings: tuple[str, ...] = field(default=())
    assumed_years: tuple[int, ...] = ()  # years counted as plain weekends (a calendar with ``assume_weekends``)

    @property
    def text(self) -> str:
        return "\n".join(self.explanation)


# --- the simple questions ---------------------------------------------------------------------------

def due_date(start: date, *, calendar: WorkingCalendar, days: int = 20,
             settings: DeadlineSettings = DeadlineSettings()) -> date:
    """The day ``days`` working days after ``start`` (20: the reply deadline of 第三十三条)."""
    return calendar.add_working_days(start, days, count_start=settings.count_start_day)


def correction_notice_due(received: date, *, calendar: WorkingCalendar,
                          settings: DeadlineSettings = DeadlineSettings()) -> date:
    """The last day to send a 补正 notice (第三十条: 7 working days)."""
    return calendar.add_working_days(received, settings.correction_notice_days, count_start=settings.count_start_day)


def fee_payment_due(notice_received: date, *, calendar: WorkingCalendar,
                    settings: DeadlineSettings = DeadlineSettings()) -> date:
    """The last day to pay a fee: 20 working days from the day after the notice was received (109号)."""
    return calendar.add_working_days(notice_received, settings.fee_payment_days)


def proactive_due(formed: date, *, calendar: WorkingCalendar, days: int = 20) -> date:
    """The last day to publish proactively disclosed information formed or changed on ``formed`` (第二十六条)."""
    return calendar.add_working_days(formed, days)


def explain_count(count: Count, *, what: str, basis: str = "") -> list[str]:
    """Chinese lines explaining a working-day count, ending with the due day."""
    return [*describe_count(count, what=what, basis=basis), f"期限届满：{format_date(count.end)}。"]


# --- the replay -------------------------------------------------------------------------------------

class _Excluded:
    """The working days that do not count: inside a pause (bounds per settings); open pauses never end."""

    __slots__ = ("spans",)

    def __init__(self, pauses: Sequence[tuple[date, date | None]], settings: DeadlineSettings) -> None:
        spans: list[tuple[date, date]] = []
        for start, end in pauses:
            a = start if settings.pause_includes_start else start + _ONE_DAY
            b = date.max if end is None else (end if settings.pause_includes_end else end - _ONE_DAY)
            if a <= b:
                spans.append((a, b))
        self.spans = spans

    def __contains__(self, d: object) -> bool:
        return isinstance(d, date) and any(a <= d <= b for a, b in self.spans)


@dataclass(frozen=True, slots=True)
class _Period:
    """The reply period counted: the trace when it could be counted to its end, else the days used so far."""

    count: Count | None
    due: date | None
    base_due: date | None
    days_used: int | None


def _count_period(calendar: WorkingCalendar, start: date, *, total: int, reply_days: int, excluded: _Excluded,
                  count_start: bool) -> _Period:
    """Count ``total`` working days from ``start`` outside the pauses; an open pause stops the count."""
    open_starts = [a for a, b in excluded.spans if b == date.max]
    if open_starts:
        used = _counted_before(calendar, start, min(open_starts), excluded, count_start)
        if used < total:
            return _Period(None, None, None, used)
    count = calendar.count(start, total, count_start=count_start, exclude=excluded)
    return _Period(count, count.end, count.counted[reply_days - 1], None)


def _correction_lines(h: History, notice_due: date, settings: DeadlineSettings) -> tuple[list[str], list[str]]:
    lines: list[str] = []
    warnings: list[str] = []
    if h.correction_notice is not None or h.correction is not None:
        lines.append(f"补正通知期限：收到申请之日起{settings.correction_notice_days}个工作日内，"
                     f"即{format_date(notice_due)}前（第三十条）。")
    if h.correction_notice is not None:
        n = h.correction_notice
        by = f"，补正期限至{format_date(n.reply_by)}" if n.reply_by else ""
        lines.append(f"发出补正通知：{format_date(n.date)}{by}。")
        if n.date > notice_due:
            warnings.append(f"补正通知晚于法定期限（应于{format_date(notice_due)}前发出）。")
    if h.correction is not None:
        lines.append(f"收到补正后的申请：{format_date(h.correction.date)}，答复期限自该日重新计算（第三十条）。")
    return lines, warnings


def _pause_lines(intervals: list[PauseInterval], start: date) -> list[str]:
    lines: list[str] = []
    for iv in intervals:
        if iv.end is not None and iv.end < start:
            continue  # over before the period began (e.g. before a restart)
        if iv.end is not None:
            lines.append(f"{iv.reason.label}：{span_text(iv.start, iv.end)}，其间{iv.days_not_counted}个工作日"
                         f"不计入期限（{iv.reason.basis}）。")
        else:
            lines.append(f"{iv.reason.label}：自{format_date(iv.start)}起，尚未结束，暂停计算（{iv.reason.basis}）。")
    return lines


def _extension_line(ext: Extended, *, start: date, period: _Period) -> str:
    """Check the extension against the period (第三十三条) and say what it did."""
    if ext.date < start:
        raise LawError(f"延长答复期限的决定（{ext.date.isoformat()}）早于答复期限的起算日（{start.isoformat()}）。")
    base, due = period.base_due, period.due
    if base is not None and ext.date > base:
        raise LawError(f"延长答复期限应在期限届满（{base.isoformat()}）前决定，实为{ext.date.isoformat()}。")
    who = f"{format_date(ext.date)}决定，经{ext.approved_by}同意"
    if base is not None and due is not None:
        return (f"延长答复期限{ext.days}个工作日（{who}，第三十三条第一款）："
                f"由{format_date(base)}延至{format_date(due)}。")
    return f"延长答复期限{ext.days}个工作日（{who}）。"


def _apply_delay(delay: ReasonableDelay, due: date | None) -> tuple[date, str]:
    """第三十五条: the later date replaces the due date; it must be set in time and be later."""
    if due is None:
        return delay.due, f"依第三十五条确定的合理答复期限：{format_date(delay.due)}（暂停结束后仍以此为准）。"
    if delay.date > due:
        raise LawError(f"延迟答复的合理期限应在答复期限届满（{due.isoformat()}）前确定，实为{delay.date.isoformat()}。")
    if delay.due <= due:
        raise LawError(f"第三十五条的合理期限（{delay.due.isoformat()}）应晚于答复期限（{due.isoformat()}）。")
    why = f"，理由：{delay.reason.strip()}" if delay.reason.strip() else ""
    return delay.due, (f"申请数量、频次明显超过合理范围而理由合理，依第三十五条确定延迟答复的合理期限"
                       f"（{format_date(delay.date)}决定{why}）：由{format_date(due)}延至{format_date(delay.due)}。")


def _fee_lines(h: History, pay_due: date, days: int) -> tuple[list[str], list[str]]:
    assert h.fee_notice is not None
    lines = [(f"发出收费通知：{format_date(h.fee_notice.date)}；申请人应自收到通知次日起{days}个工作日内缴费，"
              f"即{format_date(pay_due)}前（国办函〔2020〕109号）。")]
    warnings: list[str] = []
    if h.fee_paid is not None:
        lines.append(f"缴纳费用：{format_date(h.fee_paid.date)}。")
        if h.fee_paid.date > pay_due:
            warnings.append("申请人逾期缴费：依109号可视为撤回申请。")
    return lines, warnings


def _lapse(h: History, today: date | None, pay_due: date | None) -> tuple[str | None, str | None]:
    """The row a lapsed application closes in (deemed withdrawn), with the line that says so."""
    if h.closed is not None or today is None:
        return None, None
    cn = h.correction_notice
    if cn is not None and h.correction is None and cn.reply_by is not None and today > cn.reply_by:
        return "other.no_correction", "申请人逾期未补正：视为放弃申请，按“其他处理”第1项办结（第三十条）。"
    if pay_due is not None and h.fee_paid is None and today > pay_due:
        return "other.no_fee", "申请人逾期未缴费：视为放弃申请，按“其他处理”第2项办结（国办函〔2020〕109号）。"
    return None, None


def _status(h: History, *, due: date | None, today: date | None, lapsed: bool, awaiting: bool,
            pauses: Sequence[tuple[date, date | None, PauseReason]]) -> DeadlineStatus:
    if h.closed is not None:
        return DeadlineStatus.CLOSED
    if lapsed:
        return DeadlineStatus.LAPSED
    if awaiting:
        return DeadlineStatus.AWAITING_CORRECTION
    if due is None:
        return DeadlineStatus.PAUSED
    if today is not None and any(a <= today and (b is None or today <= b) and a <= due for a, b, _ in pauses):
        return DeadlineStatus.PAUSED  # only a pause that began within the period stops the clock
    if today is not None and today > due:
        return DeadlineStatus.OVERDUE
    return DeadlineStatus.OPEN


def compute_deadline(events: Iterable[Event], *, calendar: WorkingCalendar,
                     settings: DeadlineSettings = DeadlineSettings(), today: date | None = None) -> Deadline:
    """Replay a case's events into its :class:`Deadline` (status as of ``today``, when given)."""
    h = read_history(in_order(events), max_extension_days=settings.max_extension_days,
                     fee_pauses=settings.fee_pauses)
    assert h.received is not None
    received = h.received.date
    cs = settings.count_start_day
    lines = [f"收到申请：{format_date(received)}，{h.received.channel.label}（第三十一条）。"]

    # 补正 (第三十条): the notice's deadline, and the restart
    notice_due = calendar.add_working_days(received, settings.correction_notice_days, count_start=cs)
    more, warnings = _correction_lines(h, notice_due, settings)
    lines += more
    start = h.correction.date if h.correction is not None else received
    awaiting = h.correction_notice is not None and h.correction is None

    # the period (第三十三条): 20 working days (+ extension), pauses not counted
    pauses = [(p.start, p.end, p.reason) for p in h.pauses]
    excluded = _Excluded([(a, b) for a, b, _ in pauses], settings)
    ext_days = h.extension.days if h.extension else 0
    total = settings.reply_days + ext_days
    period = _Period(None, None, None, None) if awaiting else _count_period(
        calendar, start, total=total, reply_days=settings.reply_days, excluded=excluded, count_start=cs)
    counted_excl = period.count.excluded if period.count is not None else ()
    intervals = [PauseInterval(a, b, reason, sum(1 for d in counted_excl if a <= d and (b is None or d <= b)))
                 for a, b, reason in pauses]
    if awaiting:
        lines.append("等待申请人补正：答复期限自收到补正后的申请之日起重新计算。")
    elif period.count is not None:
        what = f"答复期限（{settings.reply_days}个工作日，延长{ext_days}个）" if ext_days else "答复期限"
        lines += describe_count(period.count, what=what, basis="第三十三条第一款")
    else:
        lines.append(f"答复期限：自{format_date(start)}起算，需计{total}个工作日（第三十三条第一款）。")
    lines += _pause_lines(intervals, start)
    if period.days_used is not None:
        lines.append(f"暂停前已计{period.days_used}个工作日，尚余{total - period.days_used}个工作日；暂停结束后继续计算。")
    if h.extension is not None:
        lines.append(_extension_line(h.extension, start=start, period=period))
    due = period.due
    if h.delay is not None and not awaiting:
        due, line = _apply_delay(h.delay, due)
        lines.append(line)

    # the fee (109号)
    pay_due: date | None = None
    if h.fee_notice is not None:
        pay_due = calendar.add_working_days(h.fee_notice.received or h.fee_notice.date, settings.fee_payment_days)
        more, also = _fee_lines(h, pay_due, settings.fee_payment_days)
        lines += more
        warnings += also
    if due is not None:
        lines.append(f"答复期限届满：{format_date(due)}。")

    consult_due: date | None = None
    for a, b, reason in pauses:
        if b is None and reason is not PauseReason.FEE:
            consult_due = calendar.add_working_days(a, settings.consultation_reply_days)
            lines.append(f"被征求意见方应在{format_date(consult_due)}前答复（{settings.consultation_reply_days}个工作日）。")

    # where the case stands today
    lapsed_row, lapse_line = _lapse(h, today, pay_due)
    if lapse_line:
        lines.append(lapse_line)
    status = _status(h, due=due, today=today, lapsed=lapsed_row is not None, awaiting=awaiting, pauses=pauses)
    late = False
    days_left: int | None = None
    if h.closed is not None:
        late = due is not None and h.closed.date > due
        lines.append(f"办结：{format_date(h.closed.date)}{'，已超过答复期限' if late else ''}。")
    elif due is not None and today is not None:
        if today > due:
            days_left = -max(1, calendar.working_days_between(due, today))  # a weekend after the due day: -1
            late = True
        else:
            days_left = _counted_between(calendar, today, due, excluded)
    lines += [f"注意：{w}" for w in warnings]
    return Deadline(
        received=received, start=start, due=due, status=status, explanation=tuple(lines),
        restarted=h.correction is not None, base_due=period.base_due, extension_days=ext_days,
        correction_notice_due=notice_due,
        correction_reply_by=h.correction_notice.reply_by if h.correction_notice else None,
        fee_payment_due=pay_due, consultation_reply_due=consult_due, pauses=tuple(intervals),
        paused_days=len(counted_excl), days_counted=total, days_used=period.days_used, days_left=days_left,
        closed=h.closed.date if h.closed else None, late=late, lapsed_row=lapsed_row,
        row_key=h.closed.row_key if h.closed else None, warnings=tuple(warnings),
        assumed_years=period.count.assumed_years if period.count is not None else (),
    )


def deadline_change(before: Deadline, after: Deadline) -> str | None:
    """A Chinese line for a case's log when a recomputation (a calendar change, a corrected event) moved a
    due date; None when nothing a person relies on changed."""
    parts: list[str] = []
    for what, a, b in (("答复期限", before.due, after.due),
                       ("补正通知期限", before.correction_notice_due, after.correction_notice_due),
                       ("缴费期限", before.fee_payment_due, after.fee_payment_due)):
        if a != b:
            parts.append(f"{what}由{format_date(a) if a else '未定'}改为{format_date(b) if b else '未定'}")
    if before.status is not after.status:
        parts.append(f"状态由“{before.status.label}”改为“{after.status.label}”")
    return "；".join(parts) + "。" if parts else None


def _counted_before(calendar: WorkingCalendar, start: date, stop: date, excluded: _Excluded, count_start: bool) -> int:
    """Working days counted from ``start`` (exclusive unless ``count_start``) up to the day before ``stop``."""
    n = 0
    d = start if count_start else start + _ONE_DAY
    while d < stop:
        if calendar.is_working_day(d) and d not in excluded:
            n += 1
        d += _ONE_DAY
    return n


def _counted_between(calendar: WorkingCalendar, a: date, b: date, excluded: _Excluded) -> int:
    n = 0
    d = a + _ONE_DAY
    while d <= b:
        if calendar.is_working_day(d) and d not in excluded:
            n += 1
        d += _ONE_DAY
    return n


__all__ = [
    "Channel",
    "Closed",
    "CorrectionNoticed",
    "CorrectionReceived",
    "Deadline",
    "DeadlineSettings",
    "DeadlineStatus",
    "Event",
    "Extended",
    "FeeNoticed",
    "FeePaid",
    "Pause",
    "PauseEnded",
    "PauseInterval",
    "PauseReason",
    "PauseStarted",
    "ReasonableDelay",
    "Received",
    "compute_deadline",
    "correction_notice_due",
    "deadline_change",
    "due_date",
    "explain_count",
    "fee_payment_due",
    "proactive_due",
    "receipt_date",
]
