"""A case's history as data: the events the deadline engine replays, and the receipt date (第三十一条).

Every event is a frozen dataclass with a ``date``. :func:`read_history` checks a list of them for the
impossible (a second extension, a payment without a notice, an event before receipt …) and raises
:class:`~gongkai.errors.LawError` in Chinese; :func:`gongkai.law.deadlines.compute_deadline` does the rest.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from ..errors import LawError


class Channel(StrEnum):
    """How the application reached the body (第三十一条)."""

    IN_PERSON = "in_person"
    ORAL = "oral"  # 第二十九条: spoken, the office fills in the form — received that day
    REGISTERED_MAIL = "registered_mail"
    ORDINARY_MAIL = "ordinary_mail"
    ONLINE = "online"
    EMAIL = "email"  # an internet channel (第三十一条第（三）项), named as such in the explanation
    FAX = "fax"

    @property
    def label(self) -> str:
        return _CHANNEL_LABELS[self]

    @property
    def receipt_rule(self) -> str:
        """Which day is the receipt date, with the 2019 article: 以提交之日为收到申请之日（第三十一条第（一）项）."""
        return _RECEIPT_RULES[self]


_CHANNEL_LABELS = {
    Channel.IN_PERSON: "当面提交",
    Channel.ORAL: "口头提出（由行政机关代为填写）",
    Channel.REGISTERED_MAIL: "以邮寄方式提交（挂号信、EMS等需签收）",
    Channel.ORDINARY_MAIL: "以平常信函等无需签收的邮寄方式提交",
    Channel.ONLINE: "通过互联网渠道提交",
    Channel.EMAIL: "通过电子邮件提交",
    Channel.FAX: "通过政府信息公开工作机构的传真提交",
}
_ONE = "以提交之日为收到申请之日（第三十一条第（一）项）"
_BOTH = "以双方确认之日为收到申请之日（第三十一条第（三）项）"
_RECEIPT_RULES = {
    Channel.IN_PERSON: _ONE, Channel.ORAL: _ONE,
    Channel.REGISTERED_MAIL: "以行政机关签收之日为收到申请之日（第三十一条第（二）项）",
    Channel.ORDINARY_MAIL: "以与申请人确认之日为收到申请之日（第三十一条第（二）项）",
    Channel.ONLINE: _BOTH, Channel.EMAIL: _BOTH, Channel.FAX: _BOTH,
}


def receipt_date(channel: Channel | str, *, submitted: date, signed_for: date | None = None,
                 confirmed: date | None = None) -> date:
    """The legal receipt date (第三十一条).

    In person (or orally, 第二十九条) → the day submitted; registered mail → the day the body signed for it;
    ordinary mail → the day the body confirmed receipt with the applicant; online, e-mail or fax → the day both
    sides confirmed.
    """
    ch = Channel(channel)
    if ch in (Channel.IN_PERSON, Channel.ORAL):
        return submitted
    if ch is Channel.REGISTERED_MAIL:
        if signed_for is None:
            raise LawError("以需签收的邮寄方式提交的申请，以签收之日为收到申请之日：请填写签收日期。")
        when, what = signed_for, "签收日期"
    else:
        if confirmed is None:
            raise LawError(f"{ch.label}的申请，以确认之日为收到申请之日：请填写确认日期。")
        when, what = confirmed, "确认日期"
    if when < submitted:
        raise LawError(f"{what}（{when.isoformat()}）早于提交日期（{submitted.isoformat()}）。")
    return when


class PauseReason(StrEnum):
    """Why the clock stops."""

    THIRD_PARTY = "third_party"  # 第三十二条
    INTER_BODY = "inter_body"  # 第三十四条
    FEE = "fee"  # 109号: from the fee notice to payment
    FORCE_MAJEURE = "force_majeure"  # [SETTING, default off]: a recorded period the office could not act

    @property
    def label(self) -> str:
        return {"third_party": "征求第三方意见", "inter_body": "征求其他机关意见", "fee": "等待缴纳信息处理费",
                "force_majeure": "不可抗力等无法办理的期间"}[self]

    @property
    def basis(self) -> str:
        """The basis under the 2019 条例 (:class:`gongkai.law.deadlines.Rules` names the 2008 one)."""
        return {"third_party": "第三十二条、第三十三条第二款", "inter_body": "第三十四条、第三十三条第二款",
                "fee": "国办函〔2020〕109号", "force_majeure": "条例未作规定，依本机关设置记录在案"}[self]


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
    """A consultation (or, with :class:`FeeNoticed`, a fee wait) began; ``note`` says why (required for
    :attr:`PauseReason.FORCE_MAJEURE`), ``approved_by`` who approved it."""

    date: date
    reason: PauseReason = PauseReason.THIRD_PARTY
    note: str = ""
    approved_by: str = ""


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
    note: str = ""  # why (a lockdown …): required for PauseReason.FORCE_MAJEURE
    approved_by: str = ""

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
    """The application was answered or otherwise closed; ``row_key`` is its section 三 row, if known.

    ``date`` is the day the reply was *sent* (发出: handed over in person, posted, e-mailed or put online): the act
    by which the reply deadline is measured, as courts measure it. ``made`` (作出, the date the letter bears) and
    ``delivered`` (送达, the day the applicant received it) are recorded beside it when known; they never move
    the deadline, but they are stated in the explanation and must be in order (作出 ≤ 发出 ≤ 送达)."""

    date: date
    row_key: str | None = None
    made: dt.date | None = None
    delivered: dt.date | None = None


Event = (Received | CorrectionNoticed | CorrectionReceived | PauseStarted | PauseEnded | Pause | Extended
         | ReasonableDelay | FeeNoticed | FeePaid | Closed)


# --- reading a history -------------------------------------------------------------------------------------------

@dataclass
class Span:
    """A pause while the history is read (its end filled in when it ends)."""

    start: date
    end: date | None
    reason: PauseReason
    note: str = ""
    approved_by: str = ""


@dataclass
class History:
    """What a valid list of events says, one slot per kind (read by :func:`read_history`)."""

    received: Received | None = None
    correction_notice: CorrectionNoticed | None = None
    correction: CorrectionReceived | None = None
    extension: Extended | None = None
    fee_notice: FeeNoticed | None = None
    fee_paid: FeePaid | None = None
    delay: ReasonableDelay | None = None
    closed: Closed | None = None
    pauses: list[Span] = field(default_factory=list)


def in_order(events: Iterable[Event]) -> list[Event]:
    """Date order; on one day, receipt first and closing last, the rest as given."""
    evs = list(events)
    for ev in evs:
        if not isinstance(ev, Event):
            raise LawError(f"无法识别的案件事件：{ev!r}")
    return sorted(evs, key=lambda e: (e.date, 0 if isinstance(e, Received) else 2 if isinstance(e, Closed) else 1))


def read_history(events: Sequence[Event], *, max_extension_days: int, fee_pauses: bool,
                 extension_basis: str = "第三十三条") -> History:
    """Walk events (already :func:`in_order`) into a :class:`History`, refusing what cannot have happened.

    A fee notice opens a ``fee`` pause when ``fee_pauses``; the payment closes it.
    """
    r = History()
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
            r.pauses.append(Span(ev.date, None, ev.reason, ev.note, ev.approved_by))
        elif isinstance(ev, PauseEnded):
            open_ = [p for p in r.pauses if p.reason is ev.reason and p.end is None]
            if not open_:
                raise LawError(f"{ev.date.isoformat()}：没有正在进行的“{ev.reason.label}”，无法结束暂停。")
            open_[0].end = ev.date
        elif isinstance(ev, Pause):
            if ev.end is not None and ev.end < ev.start:
                raise LawError(f"暂停的结束日期（{ev.end.isoformat()}）早于开始日期（{ev.start.isoformat()}）。")
            r.pauses.append(Span(ev.start, ev.end, ev.reason, ev.note, ev.approved_by))
        elif isinstance(ev, Extended):
            if r.extension is not None:
                raise LawError(f"答复期限只能延长一次（{extension_basis}）。")
            if isinstance(ev.days, bool) or not isinstance(ev.days, int) or ev.days < 1:
                raise LawError(f"延长的期限应为正整数个工作日，实为 {ev.days!r}。")
            if ev.days > max_extension_days:
                raise LawError(f"延长的期限最长不得超过{max_extension_days}个工作日（{extension_basis}），"
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
            if fee_pauses:
                r.pauses.append(Span(ev.date, None, PauseReason.FEE))
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
            if ev.made is not None and ev.made > ev.date:
                raise LawError("答复的作出日期晚于发出日期。")
            if ev.delivered is not None and ev.delivered < ev.date:
                raise LawError("答复的送达日期早于发出日期。")
            r.closed = ev
    if r.received is None:
        raise LawError("缺少收到申请的日期。")
    if r.correction is not None and r.correction_notice is not None and r.correction.date < r.correction_notice.date:
        raise LawError("收到补正的日期早于补正通知日期。")
    return r


__all__ = ["Channel", "Closed", "CorrectionNoticed", "CorrectionReceived", "Event", "Extended", "FeeNoticed", "FeePaid",
           "History", "Pause", "PauseEnded", "PauseReason", "PauseStarted", "ReasonableDelay", "Received", "Span",
           "in_order", "read_history", "receipt_date"]
