"""The deadline engine: a case's events replayed into its due dates, with the reasons in Chinese.

The rules in force on the receipt date (:func:`rules_for`, as courts count):

- receipts from 2019-05-15 — 《中华人民共和国政府信息公开条例》（2019年修订）:
  第三十三条第一款: reply within **20 working days** of receipt; one extension of at most **20 working days**,
  approved by the head of the disclosure office (负责人); 第三十三条第二款: time spent consulting a third party or
  another body is not counted (a *pause*); 第三十条: a 补正 notice within **7 working days** of receipt, the reply
  period **restarts** on receipt of the corrected application; 第三十一条: the receipt date by channel
  (:func:`receipt_date`);
- receipts before 2019-05-15 — the 2008 条例 (2007年公布, 国务院令第492号), 第二十四条: **15 working days**, one
  extension of at most **15**; third-party consultation not counted (第二十四条第三款); no time limit on the
  补正 notice; the restart on a corrected application is applied as under the 2019 text (**[SETTING]**).

Both: 第四十二条 + 国办函〔2020〕109号: a fee notice pauses the period until payment (**[SETTING]**, default on); the
applicant pays within **20 working days** from the day after receiving the notice, else ``other.no_fee``.
An application received on a rest day counts as received on the next working day (**[SETTING]**, default on).
A recorded period the office could not act (force majeure) is a pause only where allowed (**[SETTING]**, default
off). A count that runs through a year whose holiday notice is not entered uses the statute's provisional
calendar (:mod:`gongkai.law.statute`): the deadline is then *provisional* (预计) and says why.

Events are plain immutable data (:mod:`gongkai.law.events`); :func:`compute_deadline` replays them in date
order (on one day: the receipt first, the closing last, the others in their given order) and returns a
:class:`Deadline`. An impossible history (a second extension, an extension of 30 days, a payment without a
notice, an event before receipt …) raises :class:`~gongkai.errors.LawError` with a Chinese message, so a
caller can validate a new event by replaying.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
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
from .statute import provisional_line, provisional_reason

_ONE_DAY = timedelta(days=1)


RULES_2019_FROM = date(2019, 5, 15)  # 国务院令第711号 in force


@dataclass(frozen=True, slots=True)
class Rules:
    """The version of the 条例 a case is counted under, with its numbers and articles."""

    key: str  # "2008" | "2019"
    title: str  # the name the explanation uses
    when: str  # which receipts it governs
    reply_days: int
    max_extension_days: int
    correction_notice_days: int | None  # None: the 2008 text sets no limit on the 补正 notice
    reply_basis: str  # the article of the period and its extension
    extension_basis: str
    restart_basis: str  # the restart on a corrected application
    pause_bases: dict[PauseReason, str]
    receipt_article: bool  # whether 第三十一条 (receipt date by channel) is the text in force

    def line(self) -> str:
        return (f"适用规则：{self.when}，适用{self.title}，{self.reply_days}个工作日内答复，"
                f"可延长不超过{self.max_extension_days}个工作日（{self.extension_basis}）。")


_LAW = "《中华人民共和国政府信息公开条例》"
RULES_2019 = Rules(
    key="2019", title=f"{_LAW}（2019年修订）", when="收到申请之日在2019年5月15日及以后", reply_days=20,
    max_extension_days=20,
    correction_notice_days=7, reply_basis="第三十三条第一款", extension_basis="第三十三条第一款",
    restart_basis="第三十条", pause_bases={r: r.basis for r in PauseReason}, receipt_article=True)
RULES_2008 = Rules(
    key="2008", title=f"{_LAW}（2007年公布）", when="收到申请之日在2019年5月15日之前", reply_days=15,
    max_extension_days=15, correction_notice_days=None, reply_basis="第二十四条第二款",
    extension_basis="第二十四条第二款", restart_basis="2007年条例未作规定，参照2019年修订条例第三十条",
    pause_bases={PauseReason.THIRD_PARTY: "第二十三条、第二十四条第三款",
                 PauseReason.INTER_BODY: "2007年条例未作规定，参照2019年修订条例第三十四条",
                 PauseReason.FEE: "本机关收费通知",
                 PauseReason.FORCE_MAJEURE: PauseReason.FORCE_MAJEURE.basis},
    receipt_article=False)


@dataclass(frozen=True, slots=True)
class DeadlineSettings:
    """The numbers of the law, and the points it leaves open (**[SETTING]**), with their defaults.

    ``reply_days``, ``max_extension_days`` and ``correction_notice_days`` left None follow the rules in force on
    the receipt date (``rules``: ``auto``, or ``2008`` / ``2019`` to force one); a number overrides them."""

    reply_days: int | None = None  # 第三十三条第一款: 20 (2008: 15, 第二十四条)
    max_extension_days: int | None = None  # 第三十三条第一款: 20 (2008: 15)
    correction_notice_days: int | None = None  # 第三十条: 7 (2008: no limit)
    fee_payment_days: int = 20  # 109号
    consultation_reply_days: int = 15  # 第三十二条、第三十四条: the consulted party's time to answer
    count_start_day: bool = False  # [SETTING] the day of receipt is not counted
    fee_pauses: bool = True  # [SETTING] a fee notice stops the clock until payment
    pause_includes_start: bool = True  # [SETTING] the day a consultation is sent is not counted
    pause_includes_end: bool = True  # [SETTING] nor the day its answer arrives
    rules: str = "auto"  # [SETTING] "auto": the 条例 in force on the receipt date; "2008" or "2019" to force one
    rest_day_receipt_next_working_day: bool = True  # [SETTING] received on a rest day → the next working day
    allow_other_pauses: bool = False  # [SETTING] force-majeure pauses (with a reason) allowed

    def __post_init__(self) -> None:
        for name in ("reply_days", "max_extension_days", "correction_notice_days", "fee_payment_days",
                     "consultation_reply_days"):
            value = getattr(self, name)
            if value is None and name in ("reply_days", "max_extension_days", "correction_notice_days"):
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise LawError(f"期限设置 {name} 应为正整数，实为 {value!r}。")
        if self.rules not in ("auto", "2008", "2019"):
            raise LawError(f"期限设置 rules 应为 auto、2008 或 2019，实为 {self.rules!r}。")

    def rules_for(self, received: date) -> Rules:
        """The rules a receipt on ``received`` is counted under, with this setting's overrides."""
        if self.rules == "auto":
            base = RULES_2019 if received >= RULES_2019_FROM else RULES_2008
        else:
            base = replace(RULES_2019 if self.rules == "2019" else RULES_2008, when="按期限设置")
        changes: dict[str, int] = {}
        for name in ("reply_days", "max_extension_days", "correction_notice_days"):
            value = getattr(self, name)
            if value is not None:
                changes[name] = value
        return replace(base, **changes) if changes else base


def rules_for(received: date, settings: DeadlineSettings | None = None) -> Rules:
    """The rules in force on the receipt date (2008 条例 before 2019-05-15, the 2019 条例 from then)."""
    return (settings or DeadlineSettings()).rules_for(received)


def effective_receipt(received: date, *, calendar: WorkingCalendar,
                      settings: DeadlineSettings = DeadlineSettings()) -> date:
    """The day a receipt counts as received: the next working day when it arrived on a rest day (the setting)."""
    if settings.rest_day_receipt_next_working_day and not calendar.is_working_day(received):
        return calendar.next_working_day(received)
    return received


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
    note: str = ""  # why (required for a force-majeure pause)
    approved_by: str = ""


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
    rules: str = "2019"  # the 条例 counted under: "2019" or "2008" (:class:`Rules`)
    counted_from: date | None = None  # the receipt moved to the next working day (received on a rest day)
    provisional_years: tuple[int, ...] = ()  # years counted on the statute's provisional calendar: an estimate

    @property
    def text(self) -> str:
        return "\n".join(self.explanation)

    @property
    def provisional(self) -> bool:
        """Whether the due dates are estimates (预计): counted through a year whose notice is not entered."""
        return bool(self.provisional_years)

    @property
    def provisional_reason(self) -> str | None:
        """「2027年放假安排尚未录入，按《全国年节及纪念日放假办法》预计，不含调休」, or None."""
        return provisional_reason(self.provisional_years) if self.provisional_years else None


# --- the simple questions ---------------------------------------------------------------------------

def due_date(start: date, *, calendar: WorkingCalendar, days: int = 20,
             settings: DeadlineSettings = DeadlineSettings()) -> date:
    """The day ``days`` working days after ``start`` (20: the reply deadline of 第三十三条)."""
    return calendar.add_working_days(start, days, count_start=settings.count_start_day)


def correction_notice_due(received: date, *, calendar: WorkingCalendar,
                          settings: DeadlineSettings = DeadlineSettings()) -> date:
    """The last day to send a 补正 notice (第三十条: 7 working days)."""
    days = settings.correction_notice_days or RULES_2019.correction_notice_days or 7
    return calendar.add_working_days(received, days, count_start=settings.count_start_day)


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


def _correction_lines(h: History, notice_due: date | None, rules: Rules,
                      restart: date | None) -> tuple[list[str], list[str]]:
    lines: list[str] = []
    warnings: list[str] = []
    if notice_due is not None and (h.correction_notice is not None or h.correction is not None):
        lines.append(f"补正通知期限：收到申请之日起{rules.correction_notice_days}个工作日内，"
                     f"即{format_date(notice_due)}前（第三十条）。")
    if h.correction_notice is not None:
        n = h.correction_notice
        by = f"，补正期限至{format_date(n.reply_by)}" if n.reply_by else ""
        lines.append(f"发出补正通知：{format_date(n.date)}{by}。")
        if notice_due is not None and n.date > notice_due:
            warnings.append(f"补正通知晚于法定期限（应于{format_date(notice_due)}前发出）。")
    if h.correction is not None:
        moved = (f"；当日为休息日，按下一个工作日{format_date(restart)}收到计算"
                 if restart is not None and restart != h.correction.date else "")
        lines.append(f"收到补正后的申请：{format_date(h.correction.date)}{moved}，答复期限自该日重新计算"
                     f"（{rules.restart_basis}）。")
    return lines, warnings


def _pause_lines(intervals: list[PauseInterval], start: date, rules: Rules) -> list[str]:
    lines: list[str] = []
    for iv in intervals:
        if iv.end is not None and iv.end < start:
            continue  # over before the period began (e.g. before a restart)
        basis = rules.pause_bases.get(iv.reason, iv.reason.basis)
        why = f"（{iv.note}{'，经' + iv.approved_by + '批准' if iv.approved_by else ''}）" if iv.note else ""
        if iv.end is not None:
            lines.append(f"{iv.reason.label}{why}：{span_text(iv.start, iv.end)}，其间{iv.days_not_counted}个工作日"
                         f"不计入期限（{basis}）。")
        else:
            lines.append(f"{iv.reason.label}{why}：自{format_date(iv.start)}起，尚未结束，暂停计算（{basis}）。")
    return lines


def _extension_line(ext: Extended, *, start: date, period: _Period, basis: str) -> str:
    """Check the extension against the period (第三十三条) and say what it did; ``start`` is the day the period
    runs from as received (a rest day not yet moved on)."""
    if ext.date < start:
        raise LawError(f"延长答复期限的决定（{ext.date.isoformat()}）早于答复期限的起算日（{start.isoformat()}）。")
    base, due = period.base_due, period.due
    if base is not None and ext.date > base:
        raise LawError(f"延长答复期限应在期限届满（{base.isoformat()}）前决定，实为{ext.date.isoformat()}。")
    who = f"{format_date(ext.date)}决定，经{ext.approved_by}同意"
    if base is not None and due is not None:
        return (f"延长答复期限{ext.days}个工作日（{who}，{basis}）："
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


def _receipt_lines(h: History, rules: Rules, counted_from: date) -> list[str]:
    assert h.received is not None
    r = h.received
    rule = f"，{r.channel.receipt_rule}" if rules.receipt_article else ""
    lines = [f"收到申请：{format_date(r.date)}，{r.channel.label}{rule}。"]
    if counted_from != r.date:
        lines.append(f"收到申请之日为休息日，按下一个工作日{format_date(counted_from)}收到申请计算。")
    lines.append(rules.line())
    return lines


def _check_pauses(h: History, settings: DeadlineSettings) -> None:
    for p in h.pauses:
        if p.reason is PauseReason.FORCE_MAJEURE:
            if not settings.allow_other_pauses:
                raise LawError("不可抗力等其他原因的暂停未启用：如需扣除，请先在期限设置中允许。")
            if not p.note.strip():
                raise LawError("不可抗力等无法办理的期间应写明理由（如疫情封控）。")


def _closed_line(closed: Closed, late: bool) -> str:
    """办结 with the reply's dates: it is measured by the day it was sent (发出), not made or delivered."""
    verdict = "，已超过答复期限" if late else ""
    if closed.made is None and closed.delivered is None:
        return f"办结：{format_date(closed.date)}{verdict}。"
    acts = ([f"{format_date(closed.made)}作出"] if closed.made is not None else []) + [f"{format_date(closed.date)}发出"]
    if closed.delivered is not None:
        acts.append(f"{format_date(closed.delivered)}送达")
    return f"答复：{'，'.join(acts)}；以发出之日衡量是否在答复期限内{verdict or '，未超过答复期限'}。"


def compute_deadline(events: Iterable[Event], *, calendar: WorkingCalendar,
                     settings: DeadlineSettings = DeadlineSettings(), today: date | None = None) -> Deadline:
    """Replay a case's events into its :class:`Deadline` (status as of ``today``, when given)."""
    evs = in_order(events)
    first = next((e for e in evs if isinstance(e, Received)), None)
    rules = settings.rules_for(first.date if first is not None else date.max)
    h = read_history(evs, max_extension_days=rules.max_extension_days, fee_pauses=settings.fee_pauses,
                     extension_basis=rules.extension_basis)
    assert h.received is not None
    _check_pauses(h, settings)
    received = h.received.date
    cs = settings.count_start_day
    counted_from = effective_receipt(received, calendar=calendar, settings=settings)
    lines = _receipt_lines(h, rules, counted_from)

    # 补正 (第三十条): the notice's deadline (none under the 2008 text), and the restart
    notice_due = (calendar.add_working_days(counted_from, rules.correction_notice_days, count_start=cs)
                  if rules.correction_notice_days else None)
    restart = (effective_receipt(h.correction.date, calendar=calendar, settings=settings)
               if h.correction is not None else None)
    more, warnings = _correction_lines(h, notice_due, rules, restart)
    lines += more
    start = restart if restart is not None else counted_from
    awaiting = h.correction_notice is not None and h.correction is None

    # the period (第三十三条 / 2008: 第二十四条): 20 (15) working days (+ extension), pauses not counted
    pauses = [(p.start, p.end, p.reason) for p in h.pauses]
    excluded = _Excluded([(a, b) for a, b, _ in pauses], settings)
    ext_days = h.extension.days if h.extension else 0
    total = rules.reply_days + ext_days
    period = _Period(None, None, None, None) if awaiting else _count_period(
        calendar, start, total=total, reply_days=rules.reply_days, excluded=excluded, count_start=cs)
    counted_excl = period.count.excluded if period.count is not None else ()
    intervals = [PauseInterval(p.start, p.end, p.reason,
                               sum(1 for d in counted_excl if p.start <= d and (p.end is None or d <= p.end)),
                               p.note.strip(), p.approved_by.strip())
                 for p in h.pauses]
    if awaiting:
        lines.append("等待申请人补正：答复期限自收到补正后的申请之日起重新计算。")
    elif period.count is not None:
        what = f"答复期限（{rules.reply_days}个工作日，延长{ext_days}个）" if ext_days else "答复期限"
        lines += describe_count(period.count, what=what, basis=rules.reply_basis)
    else:
        lines.append(f"答复期限：自{format_date(start)}起算，需计{total}个工作日（{rules.reply_basis}）。")
    lines += _pause_lines(intervals, start, rules)
    if period.days_used is not None:
        lines.append(f"暂停前已计{period.days_used}个工作日，尚余{total - period.days_used}个工作日；暂停结束后继续计算。")
    if h.extension is not None:
        begun = h.correction.date if h.correction is not None else received
        lines.append(_extension_line(h.extension, start=begun, period=period, basis=rules.extension_basis))
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

    consult_due: date | None = None
    consult_lines: list[str] = []
    for a, b, reason in pauses:
        if b is None and reason in (PauseReason.THIRD_PARTY, PauseReason.INTER_BODY):
            consult_due = calendar.add_working_days(a, settings.consultation_reply_days)
            consult_lines.append(f"被征求意见方应在{format_date(consult_due)}前答复"
                                 f"（{settings.consultation_reply_days}个工作日）。")

    # an estimate? (a count through a year whose notice is not entered)
    known = [d for d in (due, notice_due, pay_due, consult_due, period.base_due) if d is not None]
    provisional = calendar.provisional_years_between(received, max(known)) if known else ()
    if provisional and not (period.count is not None and period.count.provisional_years):
        lines.append(provisional_line(provisional))  # describe_count has not said it
    if due is not None:
        mark = "（预计）" if calendar.provisional_years_between(received, due) else ""
        lines.append(f"答复期限届满：{format_date(due)}{mark}。")
    lines += consult_lines

    # where the case stands today
    lapsed_row, lapse_line = _lapse(h, today, pay_due)
    if lapse_line:
        lines.append(lapse_line)
    status = _status(h, due=due, today=today, lapsed=lapsed_row is not None, awaiting=awaiting, pauses=pauses)
    late = False
    days_left: int | None = None
    if h.closed is not None:
        late = due is not None and h.closed.date > due
        lines.append(_closed_line(h.closed, late))
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
        rules=rules.key, counted_from=counted_from if counted_from != received else None,
        provisional_years=provisional,
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
    "Rules",
    "compute_deadline",
    "correction_notice_due",
    "deadline_change",
    "due_date",
    "effective_receipt",
    "explain_count",
    "fee_payment_due",
    "proactive_due",
    "receipt_date",
    "rules_for",
]
