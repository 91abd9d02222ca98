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

Events are plain immutable data (:data:`Event`); :func:`compute_deadline` replays them in date order (on one
day: the receipt first, the closing last, the others in their given order) and returns a :class:`Deadline`. An impossible history (a second
extension, an extension of 30 days, a payment without a notice, an event before receipt …) raises
:class:`~gongkai.errors.LawError` with a Chinese message, so a caller can validate a new event by replaying.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from ..errors import LawError
from ._explain import describe_count, span_text
from .calendar import Count, WorkingCalendar, format_date

_ONE_DAY = timedelta(days=1)


class Channel(StrEnum):
    """How the application reached the body (第三十一条)."""

    IN_PERSON = "in_person"
    REGISTERED_MAIL = "registered_mail"
    ORDINARY_MAIL = "ordinary_mail"
    ONLINE = "online"
    FAX = "fax"

    @property
    def label(self) -> str:
        return _CHANNEL_LABELS[self]


_CHANNEL_LABELS = {Channel.IN_PERSON: "当面提交", Channel.REGISTERED_MAIL: "邮政挂号信等需签收的邮寄方式",
                   Channel.ORDINARY_MAIL: "平常信函等无需签收的邮寄方式", Channel.ONLINE: "互联网渠道",
                   Channel.FAX: "传真"}


def receipt_date(channel: Channel | str, *, submitted: date, signed_for: date | None = None,
                 confirmed: date | None = None) -> date:
    """The legal receipt date (第三十一条).

    In person → the day submitted; registered mail → the day the body signed for it; ordinary mail → the day
    the body confirmed receipt with the applicant; online or fax → the day both sides confirmed.
    """
    ch = Channel(channel)
    if ch is Channel.IN_PERSON:
        return submitted
    if ch is Channel.REGISTERED_MAIL:
        if signed_for is None:
            raise LawError("以需签收的邮寄方式提交的申请，以签收之日为收到申请之日：请填写签收日期。")
        when, what = signed_for, "签收日期"
    else:
        if confirmed is None:
            raise LawError(f"以{ch.label}提交的申请，以双方确认之日为收到申请之日：请填写确认日期。")
        when, what = confirmed, "确认日期"
    if when < submitted:
        raise LawError(f"{what}（{when.isoformat()}）早于提交日期（{submitted.isoformat()}）。")
    return when


class PauseReason(StrEnum):
    """Why the clock stops."""

    THIRD_PARTY = "third_party"  # 第三十二条
    INTER_BODY = "inter_body"  # 第三十四条
    FEE = "fee"  # 109号: from the fee notice to payment

    @property
    def label(self) -> str:
        return {"third_party": "征求第三方意见", "inter_body": "征求其他机关意见", "fee": "等待缴纳信息处理费"}[self]

    @property
    def basis(self) -> str:
        return {"third_party": "第三十二条、第三十三条第二款", "inter_body": "第三十四条、第三十三条第二款",
                "fee": "国办函〔2020〕109号"}[self]


# --- events ---------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Received:
    """The application was received (the legal receipt date, see :func:`receipt_date`)."""

    date: date
    channel: Channel = Channel.IN_PERSON


@dataclass(frozen=True, slots=True)
class CorrectionNoticed:
    """A 补正 notice was sent; ``reply_by`` is the deadline it gave the applicant (if any)."""

    date: date
    reply_by: dt.date | None = None


@dataclass(frozen=True, slots=True)
class CorrectionReceived:
    """The corrected application was received: the reply period restarts from this day."""

    date: date


@dataclass(frozen=True, slots=True)
class PauseStarted:
    """A consultation (or, with :class:`FeeNoticed`, a fee wait) began."""

    date: date
    reason: PauseReason = PauseReason.THIRD_PARTY


@dataclass(frozen=True, slots=True)
class PauseEnded:
    date: date
    reason: PauseReason = PauseReason.THIRD_PARTY


@dataclass(frozen=True, slots=True)
class Pause:
    """A whole pause as one record; ``end`` None while it lasts."""

    start: date
    end: date | None = None
    reason: PauseReason = PauseReason.THIRD_PARTY

    @property
    def date(self) -> date:
        return self.start


@dataclass(frozen=True, slots=True)
class Extended:
    """The reply period was extended by ``days`` working days, approved by ``approved_by`` (负责人)."""

    date: date
    days: int
    approved_by: str


@dataclass(frozen=True, slots=True)
class FeeNoticed:
    """A fee notice was sent; ``received`` is the day the applicant received it (default: ``date``)."""

    date: date
    received: dt.date | None = None


@dataclass(frozen=True, slots=True)
class FeePaid:
    date: date


@dataclass(frozen=True, slots=True)
class ReasonableDelay:
    """第三十五条: the request is reasonable but cannot be answered in time; the body sets a later reply date
    (``due``) and tells the applicant."""

    date: date
    due: dt.date
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Closed:
    """The application was answered or otherwise closed; ``row_key`` is its section 三 row, if known."""

    date: date
    row_key: str | None = None


Event = (Received | CorrectionNoticed | CorrectionReceived | PauseStarted | PauseEnded | Pause | Extended
         | ReasonableDelay | FeeNoticed | FeePaid | Closed)


# --- settings and result ------------------------------------------------------------------------------

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

@dataclass
class _Span:
    """A pause while replaying (its end filled in when it ends)."""

    start: date
    end: date | None
    reason: PauseReason


@dataclass
class _Replay:
    received: Received | None = None
    correction_notice: CorrectionNoticed | None = None
    correction: CorrectionReceived | None = None
    extension: Extended | None = None
    fee_notice: FeeNoticed | None = None
    fee_paid: FeePaid | None = None
    delay: ReasonableDelay | None = None
    closed: Closed | None = None
    pauses: list[_Span] = field(default_factory=list)


def _sorted(events: Iterable[Event]) -> list[Event]:
    """Date order; on one day, receipt first and closing last, the rest as given."""
    evs = list(events)
    for ev in evs:
        if not isinstance(ev, Event):
            raise LawError(f"无法识别的案件事件：{ev!r}")
    return sorted(evs, key=lambda e: (e.date, 0 if isinstance(e, Received) else 2 if isinstance(e, Closed) else 1))


def _replay(events: Sequence[Event], settings: DeadlineSettings) -> _Replay:
    r = _Replay()
    for ev in events:
        if r.received is None and not isinstance(ev, Received):
            raise LawError(f"{ev.date.isoformat()} 的事件早于收到申请：应先登记收到申请。")
        if r.closed is not None:
            raise LawError(f"申请已于{r.closed.date.isoformat()}办结，其后不应再有事件（{ev.date.isoformat()}）。")
        if isinstance(ev, Received):
            if r.received is not None:
                raise LawError("一件申请只能有一个收到日期；补正后的申请请登记为“收到补正”。")
            r.received = ev
        elif isinstance(ev, CorrectionNoticed):
            if r.correction_notice is not None:
                raise LawError("补正通知应一次性告知，不能发出第二次（补正后仍不明确的，按“无法提供”第3项答复）。")
            if ev.reply_by is not None and ev.reply_by < ev.date:
                raise LawError("补正期限早于补正通知日期。")
            r.correction_notice = ev
        elif isinstance(ev, CorrectionReceived):
            if r.correction is not None:
                raise LawError("补正后的申请只能收到一次。")
            r.correction = ev
        elif isinstance(ev, PauseStarted):
            if any(p.reason is ev.reason and p.end is None for p in r.pauses):
                raise LawError(f"{ev.reason.label}的暂停已经开始，尚未结束。")
            r.pauses.append(_Span(ev.date, None, ev.reason))
        elif isinstance(ev, PauseEnded):
            open_ = [p for p in r.pauses if p.reason is ev.reason and p.end is None]
            if not open_:
                raise LawError(f"{ev.date.isoformat()}：没有正在进行的“{ev.reason.label}”，无法结束暂停。")
            open_[0].end = ev.date
        elif isinstance(ev, Pause):
            if ev.end is not None and ev.end < ev.start:
                raise LawError(f"暂停的结束日期（{ev.end.isoformat()}）早于开始日期（{ev.start.isoformat()}）。")
            r.pauses.append(_Span(ev.start, ev.end, ev.reason))
        elif isinstance(ev, Extended):
            if r.extension is not None:
                raise LawError("答复期限只能延长一次（第三十三条）。")
            if not isinstance(ev.days, int) or ev.days < 1:
                raise LawError(f"延长的期限应为正整数个工作日，实为 {ev.days!r}。")
            if ev.days > settings.max_extension_days:
                raise LawError(f"延长的期限最长不得超过{settings.max_extension_days}个工作日（第三十三条），"
                               f"实为{ev.days}个。")
            if not ev.approved_by or not ev.approved_by.strip():
                raise LawError("延长答复期限应当经政府信息公开工作机构负责人同意：请填写批准人。")
            r.extension = ev
        elif isinstance(ev, FeeNoticed):
            if r.fee_notice is not None:
                raise LawError("一件申请只发一次收费通知。")
            if ev.received is not None and ev.received < ev.date:
                raise LawError("申请人收到收费通知的日期早于通知日期。")
            r.fee_notice = ev
            if settings.fee_pauses:
                r.pauses.append(_Span(ev.date, None, PauseReason.FEE))
        elif isinstance(ev, FeePaid):
            if r.fee_notice is None:
                raise LawError("没有收费通知，无法登记缴费。")
            if r.fee_paid is not None:
                raise LawError("缴费已经登记。")
            r.fee_paid = ev
            for p in r.pauses:
                if p.reason is PauseReason.FEE and p.end is None:
                    p.end = ev.date
        elif isinstance(ev, ReasonableDelay):
            if r.delay is not None:
                raise LawError("依第三十五条确定的合理期限只能确定一次。")
            if ev.due <= ev.date:
                raise LawError("合理答复期限应晚于作出决定之日。")
            r.delay = ev
        elif isinstance(ev, Closed):
            r.closed = ev
    if r.received is None:
        raise LawError("缺少收到申请的日期。")
    if r.correction is not None and r.correction_notice is not None and r.correction.date < r.correction_notice.date:
        raise LawError("收到补正的日期早于补正通知日期。")
    return r


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


def compute_deadline(events: Iterable[Event], *, calendar: WorkingCalendar,
                     settings: DeadlineSettings = DeadlineSettings(), today: date | None = None) -> Deadline:
    """Replay a case's events into its :class:`Deadline` (status as of ``today``, when given)."""
    r = _replay(_sorted(events), settings)
    assert r.received is not None
    received = r.received.date
    lines: list[str] = [f"收到申请：{format_date(received)}，{r.received.channel.label}（第三十一条）。"]
    warnings: list[str] = []
    cs = settings.count_start_day

    notice_due = calendar.add_working_days(received, settings.correction_notice_days, count_start=cs)
    if r.correction_notice is not None or r.correction is not None:
        lines.append(f"补正通知期限：收到申请之日起{settings.correction_notice_days}个工作日内，"
                     f"即{format_date(notice_due)}前（第三十条）。")
    if r.correction_notice is not None:
        n = r.correction_notice
        by = f"，补正期限至{format_date(n.reply_by)}" if n.reply_by else ""
        lines.append(f"发出补正通知：{format_date(n.date)}{by}。")
        if n.date > notice_due:
            warnings.append(f"补正通知晚于法定期限（应于{format_date(notice_due)}前发出）。")

    start = r.correction.date if r.correction is not None else received
    if r.correction is not None:
        lines.append(f"收到补正后的申请：{format_date(start)}，答复期限自该日重新计算（第三十条）。")

    pauses = [(p.start, p.end, p.reason) for p in r.pauses]
    excluded = _Excluded([(a, b) for a, b, _ in pauses], settings)
    ext_days = r.extension.days if r.extension else 0
    total = settings.reply_days + ext_days

    due: date | None = None
    base_due: date | None = None
    days_used: int | None = None
    count: Count | None = None
    awaiting = r.correction_notice is not None and r.correction is None
    open_starts = [a for a, b in excluded.spans if b == date.max]
    if not awaiting:
        stop = min(open_starts) if open_starts else None
        if stop is not None:
            used = _counted_before(calendar, start, stop, excluded, cs)
            if used < total:
                days_used = used
        if days_used is None:
            count = calendar.count(start, total, count_start=cs, exclude=excluded)
            due = count.end
            base_due = count.counted[settings.reply_days - 1]

    # pauses: how many of their working days fell inside the period
    intervals: list[PauseInterval] = []
    counted_excl = count.excluded if count is not None else ()
    for a, b, reason in pauses:
        inside = sum(1 for d in counted_excl if a <= d and (b is None or d <= b))
        intervals.append(PauseInterval(a, b, reason, inside))
    paused_days = len(counted_excl)

    if awaiting:
        lines.append("等待申请人补正：答复期限自收到补正后的申请之日起重新计算。")
    elif count is not None:
        what = f"答复期限（{settings.reply_days}个工作日，延长{ext_days}个）" if ext_days else "答复期限"
        lines += describe_count(count, what=what, basis="第三十三条第一款")
    else:
        lines.append(f"答复期限：自{format_date(start)}起算，需计{total}个工作日（第三十三条第一款）。")
    for iv in intervals:
        if iv.start < start and iv.end is not None and iv.end < start:
            continue
        end = f"至{format_date(iv.end)}" if iv.end else "起，尚未结束"
        if iv.end:
            span = f"{span_text(iv.start, iv.end)}"
            lines.append(f"{iv.reason.label}：{span}，其间{iv.days_not_counted}个工作日不计入期限（{iv.reason.basis}）。")
        else:
            lines.append(f"{iv.reason.label}：自{format_date(iv.start)}{end}，暂停计算（{iv.reason.basis}）。")
    if days_used is not None:
        lines.append(f"暂停前已计{days_used}个工作日，尚余{total - days_used}个工作日；暂停结束后继续计算。")

    if r.extension is not None:
        ext = r.extension
        if ext.date < start:
            raise LawError(f"延长答复期限的决定（{ext.date.isoformat()}）早于答复期限的起算日（{start.isoformat()}）。")
        if base_due is not None and ext.date > base_due:
            raise LawError(f"延长答复期限应在期限届满（{base_due.isoformat()}）前决定，实为{ext.date.isoformat()}。")
        if due is not None and base_due is not None:
            lines.append(f"延长答复期限{ext.days}个工作日（{format_date(ext.date)}决定，经{ext.approved_by}同意，"
                         f"第三十三条第一款）：由{format_date(base_due)}延至{format_date(due)}。")
        else:
            lines.append(f"延长答复期限{ext.days}个工作日（{format_date(ext.date)}决定，经{ext.approved_by}同意）。")

    if r.delay is not None and due is not None:
        delay = r.delay
        if delay.date > due:
            raise LawError(f"延迟答复的合理期限应在答复期限届满（{due.isoformat()}）前确定，实为{delay.date.isoformat()}。")
        if delay.due <= due:
            raise LawError(f"第三十五条的合理期限（{delay.due.isoformat()}）应晚于答复期限（{due.isoformat()}）。")
        why = f"，理由：{delay.reason.strip()}" if delay.reason.strip() else ""
        lines.append(f"申请数量、频次明显超过合理范围而理由合理，依第三十五条确定延迟答复的合理期限"
                     f"（{format_date(delay.date)}决定{why}）：由{format_date(due)}延至{format_date(delay.due)}。")
        due = delay.due
    elif r.delay is not None and not awaiting:
        lines.append(f"依第三十五条确定的合理答复期限：{format_date(r.delay.due)}（暂停结束后仍以此为准）。")
        due = r.delay.due

    pay_due: date | None = None
    if r.fee_notice is not None:
        got = r.fee_notice.received or r.fee_notice.date
        pay_due = calendar.add_working_days(got, settings.fee_payment_days)
        lines.append(f"发出收费通知：{format_date(r.fee_notice.date)}；申请人应自收到通知次日起"
                     f"{settings.fee_payment_days}个工作日内缴费，即{format_date(pay_due)}前（国办函〔2020〕109号）。")
        if r.fee_paid is not None:
            lines.append(f"缴纳费用：{format_date(r.fee_paid.date)}。")
            if r.fee_paid.date > pay_due:
                warnings.append("申请人逾期缴费：依109号可视为撤回申请。")

    if due is not None:
        lines.append(f"答复期限届满：{format_date(due)}。")

    consult_due: date | None = None
    for a, b, reason in pauses:
        if b is None and reason is not PauseReason.FEE:
            consult_due = calendar.add_working_days(a, settings.consultation_reply_days)
            lines.append(f"被征求意见方应在{format_date(consult_due)}前答复（{settings.consultation_reply_days}个工作日）。")

    # status
    lapsed_row: str | None = None
    if r.closed is None and today is not None:
        cn = r.correction_notice
        if cn is not None and r.correction is None and cn.reply_by is not None and today > cn.reply_by:
            lapsed_row = "other.no_correction"
            lines.append("申请人逾期未补正：视为放弃申请，按“其他处理”第1项办结（第三十条）。")
        elif pay_due is not None and r.fee_paid is None and today > pay_due:
            lapsed_row = "other.no_fee"
            lines.append("申请人逾期未缴费：视为放弃申请，按“其他处理”第2项办结（国办函〔2020〕109号）。")

    late = False
    days_left: int | None = None
    if r.closed is not None:
        status = DeadlineStatus.CLOSED
        late = due is not None and r.closed.date > due
        lines.append(f"办结：{format_date(r.closed.date)}{'，已超过答复期限' if late else ''}。")
    elif lapsed_row is not None:
        status = DeadlineStatus.LAPSED
    elif awaiting:
        status = DeadlineStatus.AWAITING_CORRECTION
    elif due is None or (today is not None and any(a <= today and (b is None or today <= b) and a <= due
                                                   for a, b, _ in pauses)):
        status = DeadlineStatus.PAUSED
    else:
        status = DeadlineStatus.OPEN
    if due is not None and today is not None and r.closed is None:
        if today > due:
            days_left = -max(1, calendar.working_days_between(due, today))  # a weekend after the due day: -1
            if status is DeadlineStatus.OPEN:
                status = DeadlineStatus.OVERDUE
            late = True
        else:
            days_left = _counted_between(calendar, today, due, excluded)
    lines += [f"注意：{w}" for w in warnings]
    return Deadline(
        received=received, start=start, due=due, status=status, explanation=tuple(lines),
        restarted=r.correction is not None, base_due=base_due, extension_days=ext_days,
        correction_notice_due=notice_due, correction_reply_by=r.correction_notice.reply_by if r.correction_notice else None,
        fee_payment_due=pay_due, consultation_reply_due=consult_due, pauses=tuple(intervals), paused_days=paused_days,
        days_counted=total, days_used=days_used, days_left=days_left, closed=r.closed.date if r.closed else None,
        late=late, lapsed_row=lapsed_row, row_key=r.closed.row_key if r.closed else None, warnings=tuple(warnings),
        assumed_years=count.assumed_years if count is not None else (),
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
