"""Writes on applications. Every function is keyword-only and atomic, checks the role, checks the lifecycle
transition (``models.TRANSITIONS``), appends a :class:`CaseEvent`, replays the deadline through
:mod:`gongkai.law.deadlines` and records the change in the audit log."""
from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from ...errors import LawError
from ...law.deadlines import PauseReason, receipt_date
from ...law.decisions import NO_CORRECTION, NO_FEE, OTHER, report_row_for
from ...law.decisions import reply_type as law_reply_type
from ...law.fees import fee_by_items, fee_by_pages
from ..audit.services import audit_record, snapshot
from ..bodies.models import Body
from ..bodies.permissions import require
from ..clock.selectors import working_calendar
from ..core.db import atomic_retry, bump
from ..core.errors import Conflict, Invalid, NotFound
from . import notices
from .deadlines import Pending, replay
from .models import (
    LAW_CHANNEL,
    OPEN_STATUSES,
    TRANSITIONS,
    ApplicantType,
    Application,
    ApplicationFile,
    CaseEvent,
    Channel,
    DeadlinePolicy,
    Delivery,
    EventKind,
    Fee,
    FileKind,
    NumberCounter,
    ReplyType,
    RequestedForm,
    Status,
)
from .validators import MAX_CORRECTION_TEXT, Upload, clean_credit_code, clean_uploads

QUERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TRACKED = ["status", "due_on", "due_provisional", "deadline_status", "handler", "reply_type", "reply_on",
           "reply_sent_on", "reply_delivered_on", "closed_on"]


def _today() -> dt.date:
    return timezone.localdate()


APPLICANT_ONLINE = "申请人（网上提交）"


def _actor_name(actor: Any, label: str = "") -> str:
    return actor.get_username() if getattr(actor, "is_authenticated", False) else label or "系统"


def new_query_code() -> str:
    raw = "".join(secrets.choice(QUERY_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _next_number(body: Body, year: int) -> tuple[int, str]:
    """The next number of ``body`` in ``year``, counted write-first (``core.db.bump``): unique, and gapless since
    a registration that fails rolls its number back with it."""
    seq = bump(NumberCounter, {"body": body, "year": year})
    return seq, f"{body.short_name}〔{year}〕依申第{seq}号"


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("body").get(pk=application.pk)


def _transition(app: Application, to: str) -> None:
    if to not in TRANSITIONS[app.status]:
        raise Conflict(f"申请当前状态为“{Status(app.status).label}”，不能转为“{Status(to).label}”")
    app.status = to


def _apply(app: Application, *, actor: Any, kind: str, on: dt.date, data: dict | None = None,
           action: str, before: dict, note: str = "", actor_label: str = "") -> CaseEvent:
    """Validate the new event by replay, store it, refresh the deadline, audit."""
    data = data or {}
    stored = list(app.events.all())
    deadline, problem = _replay_or_invalid(app, [*stored, Pending(kind, on, data)])
    event = CaseEvent.objects.create(application=app, kind=kind, on=on, data=data,
                                     actor=actor if getattr(actor, "is_authenticated", False) else None,
                                     actor_name=_actor_name(actor, actor_label))
    _store_deadline(app, deadline, problem)
    app.save()
    audit_record(actor=actor, action=action, subject=app, body=app.body, before=before,
                 after=snapshot(app, TRACKED), note=note or EventKind(kind).label)
    return event


def _replay_or_invalid(app: Application, events: list) -> tuple[Any, str | None]:
    try:
        return replay(app, events, calendar=working_calendar(), today=_today())
    except LawError as exc:
        raise Invalid(str(exc)) from None


def _store_deadline(app: Application, deadline: Any, problem: str | None) -> None:
    """Store the replayed deadline. A closed case keeps the due date it had (and whether it was an estimate);
    one that closed without a due date gets the computed one."""
    if deadline is None:
        app.due_on, app.deadline_status, app.deadline_text = None, "uncovered", problem or ""
        app.due_provisional, app.due_note = False, ""
        return
    if app.status != Status.CLOSED or app.due_on is None:
        app.due_on = deadline.due
        app.due_provisional = deadline.provisional and deadline.due is not None
        app.due_note = (deadline.provisional_reason or "")[:200] if app.due_provisional else ""
    app.deadline_status = deadline.status.value
    lines = list(deadline.explanation) + [f"提示：{w}" for w in deadline.warnings]
    app.deadline_text = "\n".join(lines)


def _check_date(on: dt.date, app: Application | None = None) -> None:
    if on > _today() + dt.timedelta(days=1):
        raise Invalid("日期不能晚于今天", details={"on": ["日期不能晚于今天"]})
    if app is not None and on < app.received_on:
        raise Invalid("日期不能早于收到申请日期", details={"on": ["日期不能早于收到申请日期"]})


# --- registration ------------------------------------------------------------------------------------------

@atomic_retry(unique=True)  # run again on a passing failure (a query code drawn twice, a busy database)
def application_register(*, body: Body, channel: str, submitted_on: dt.date, applicant_type: str,
                         applicant_name: str, description: str, actor: Any = None,
                         signed_for_on: dt.date | None = None, confirmed_on: dt.date | None = None,
                         id_type: str = "", id_number: str = "", contact_phone: str = "", contact_email: str = "",
                         contact_address: str = "", postcode: str = "", requested_form: str = RequestedForm.ANY,
                         delivery: str = Delivery.POST, credit_code: str = "", legal_representative: str = "",
                         contact_name: str = "", id_proof: list[tuple[str, bytes]] | None = None) -> Application:
    """Register an application. Staff (``actor`` a user with the 登记 role) register any channel; the public
    portal calls with ``actor=None`` and ``channel="online"``: the acknowledgement with the query code is the
    confirmation of 第三十一条, so the receipt date is the submission date.

    An organisation (法人或其他组织) gives its 统一社会信用代码 (checked, GB 32100-2015), 法定代表人 and 联系人;
    ``id_proof`` are the 身份证明 files (name, content), checked by :func:`.validators.clean_uploads`."""
    errors: dict[str, list[str]] = {}
    try:
        credit_code = clean_credit_code(credit_code)
    except Invalid as exc:
        errors.update(exc.details)
    uploads = clean_uploads(list(id_proof or []), field="id_proof")
    if actor is None:
        if channel != Channel.ONLINE:
            raise Invalid("公众只能通过网上申请提交")
        confirmed_on = confirmed_on or submitted_on
    else:
        require(user=actor, action="register", body=body)
    if channel not in Channel.values:
        errors["channel"] = ["请选择申请方式"]
    if applicant_type not in ApplicantType.values:
        errors["applicant_type"] = ["请选择申请人类型"]
    if not applicant_name.strip():
        errors["applicant_name"] = ["请填写申请人姓名或名称"]
    if not description.strip():
        errors["description"] = ["请描述所需政府信息（名称、文号或其他特征）"]
    if requested_form not in RequestedForm.values:
        errors["requested_form"] = ["无效的获取方式"]
    if delivery not in Delivery.values:
        errors["delivery"] = ["无效的获取途径"]
    if submitted_on > _today() + dt.timedelta(days=1):
        errors["submitted_on"] = ["提交日期不能晚于今天"]
    if errors:
        raise Invalid("申请信息有误：" + "；".join(msgs[0] for msgs in errors.values()), details=errors)
    if channel in (Channel.ONLINE, Channel.EMAIL, Channel.FAX, Channel.ORDINARY_MAIL) and confirmed_on is None:
        confirmed_on = submitted_on if actor is not None and channel != Channel.ORDINARY_MAIL else confirmed_on
    try:
        received_on = receipt_date(LAW_CHANNEL[channel], submitted=submitted_on, signed_for=signed_for_on,
                                   confirmed=confirmed_on)
    except LawError as exc:
        field = "signed_for_on" if channel == Channel.REGISTERED_MAIL else "confirmed_on"
        raise Invalid(str(exc), details={field: [str(exc)]}) from None
    seq, number = _next_number(body, received_on.year)
    app = Application(
        body=body, number=number, year=received_on.year, seq=seq, query_code=new_query_code(), channel=channel,
        submitted_on=submitted_on, signed_for_on=signed_for_on, confirmed_on=confirmed_on, received_on=received_on,
        applicant_type=applicant_type, applicant_name=applicant_name.strip(), id_type=id_type.strip(),
        id_number=id_number.strip(), contact_phone=contact_phone.strip(), contact_email=contact_email.strip(),
        contact_address=contact_address.strip(), postcode=postcode.strip(), description=description.strip(),
        requested_form=requested_form, delivery=delivery, status=Status.OPEN,
        credit_code=credit_code if applicant_type != ApplicantType.NATURAL else "",
        legal_representative=legal_representative.strip() if applicant_type != ApplicantType.NATURAL else "",
        contact_name=contact_name.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None)
    app.save()
    names = _save_files(app, uploads, FileKind.ID_PROOF)
    data: dict[str, Any] = {"channel": channel}
    if names:
        data["files"] = names
    _apply(app, actor=actor, kind=EventKind.RECEIVED, on=received_on, data=data,
           action="application.register", before={}, note=f"登记申请（{Channel(channel).label}）",
           actor_label=APPLICANT_ONLINE if actor is None else "")
    notices.notify(app, "registered")
    return app


def _save_files(app: Application, uploads: list[Upload], kind: str) -> list[str]:
    """Store checked uploads on the case (inside the caller's transaction); their names, for the event."""
    for i, up in enumerate(uploads):
        ext = "." + up.name.rsplit(".", 1)[-1].lower()
        f = ApplicationFile(application=app, kind=kind, name=up.name, content_type=up.content_type,
                            size=len(up.content))
        f.file.save(f"{app.pk}-{kind}-{timezone.now():%Y%m%d%H%M%S}-{i}{ext}", ContentFile(up.content), save=False)
        f.save()
    return [up.name for up in uploads]


@transaction.atomic
def application_assign(*, application: Application, actor: Any, handler: Any = None, username: str = "") -> Application:
    """Assign the 承办人 (a user with the 办理 role on the application's body), by user or username."""
    from django.contrib.auth import get_user_model

    from ..bodies.permissions import can

    app = _locked(application)
    require(user=actor, action="handle", body=app.body)
    if app.status == Status.CLOSED:
        raise Conflict("申请已办结，不能再分配承办人")
    if handler is None:
        handler = get_user_model().objects.filter(username=username.strip()).first()
    if handler is None or not can(user=handler, action="handle", body=app.body):
        raise Invalid("所选人员在该机关没有办理权限", details={"username": ["所选人员在该机关没有办理权限"]})
    before = snapshot(app, TRACKED)
    app.handler = handler
    _apply(app, actor=actor, kind=EventKind.ASSIGNED, on=_today(), data={"handler": handler.get_username()},
           action="application.assign", before=before)
    return app


# --- the clock -----------------------------------------------------------------------------------------------

@transaction.atomic
def correction_notice(*, application: Application, actor: Any, on: dt.date, items: str,
                      reply_by: dt.date | None = None) -> Application:
    """Send the one 补正 notice (第三十条): the clock waits for the corrected application."""
    app = _locked(application)
    require(user=actor, action="handle", body=app.body)
    _check_date(on, app)
    if not items.strip():
        raise Invalid("请列明需要补正的事项", details={"items": ["请列明需要补正的事项"]})
    before = snapshot(app, TRACKED)
    _transition(app, Status.CORRECTION)
    data = {"items": items.strip(), "reply_by": reply_by.isoformat() if reply_by else None}
    _apply(app, actor=actor, kind=EventKind.CORRECTION_NOTICE, on=on, data=data, action="application.correction_notice",
           before=before)
    notices.notify(app, "correction_notice")
    return app


@transaction.atomic
def correction_received(*, application: Application, actor: Any, on: dt.date, text: str = "",
                        files: list[tuple[str, bytes]] | None = None, online: bool = False) -> Application:
    """The corrected application arrived: the 20 working days restart from this day.

    Staff record it (``actor`` with the 办理 role); the applicant sends it online by query code
    (:func:`correction_submit_online`: ``actor`` None, ``online`` True, with the text and files given)."""
    app = _locked(application)
    if actor is None:
        if not online:
            raise Invalid("请登录后登记收到补正")
    else:
        require(user=actor, action="handle", body=app.body)
    _check_date(on, app)
    if app.status != Status.CORRECTION:
        raise Conflict("该申请没有待补正的告知")
    uploads = clean_uploads(list(files or []))
    before = snapshot(app, TRACKED)
    _transition(app, Status.OPEN)
    data: dict[str, Any] = {}
    if text.strip():
        data["text"] = text.strip()
    names = _save_files(app, uploads, FileKind.CORRECTION)
    if names:
        data["files"] = names
    if online:
        data["online"] = True
    _apply(app, actor=actor, kind=EventKind.CORRECTION_RECEIVED, on=on, data=data,
           action="application.correction_received", before=before,
           note="申请人网上提交补正" if online else "", actor_label=APPLICANT_ONLINE if online else "")
    notices.notify(app, "correction_received")
    return app



def correction_submit_online(*, query_code: str, text: str, files: list[tuple[str, bytes]] | None = None
                             ) -> Application:
    """The applicant answers the 补正 notice on the status page: the correction is received today (第三十一条:
    the page's confirmation is the confirmation of an online submission) and the reply period restarts."""
    from .selectors import application_by_code

    app = application_by_code(query_code)
    if app is None:
        raise NotFound("未找到该查询码对应的申请")
    if app.status != Status.CORRECTION:
        raise Conflict("该申请当前不需要补正")
    text = text.strip()
    if not text and not files:
        raise Invalid("请填写补正内容或上传补正材料", details={"text": ["请填写补正内容或上传补正材料"]})
    if len(text) > MAX_CORRECTION_TEXT:
        msg = f"补正内容不能超过{MAX_CORRECTION_TEXT}字"
        raise Invalid(msg, details={"text": [msg]})
    return correction_received(application=app, actor=None, on=_today(), text=text, files=files, online=True)


@transaction.atomic
def pause_start(*, application: Application, actor: Any, on: dt.date, reason: str, party: str = "") -> Application:
    """A consultation of a third party (第三十二条) or another body (第三十四条) begins: not counted."""
    app = _locked(application)
    require(user=actor, action="handle", body=app.body)
    _check_date(on, app)
    if reason not in (PauseReason.THIRD_PARTY, PauseReason.INTER_BODY):
        raise Invalid("请选择征求意见的对象", details={"reason": ["无效"]})
    before = snapshot(app, TRACKED)
    _transition(app, Status.CONSULTING)
    _apply(app, actor=actor, kind=EventKind.PAUSE_STARTED, on=on, data={"reason": reason, "party": party},
           action="application.pause_start", before=before)
    return app


@transaction.atomic
def pause_end(*, application: Application, actor: Any, on: dt.date) -> Application:
    app = _locked(application)
    require(user=actor, action="handle", body=app.body)
    _check_date(on, app)
    started = app.events.filter(kind=EventKind.PAUSE_STARTED).order_by("-on", "-id").first()
    if app.status != Status.CONSULTING or started is None:
        raise Conflict("当前没有进行中的征求意见")
    before = snapshot(app, TRACKED)
    _transition(app, Status.OPEN)
    _apply(app, actor=actor, kind=EventKind.PAUSE_ENDED, on=on, data={"reason": started.data.get("reason")},
           action="application.pause_end", before=before)
    return app


@transaction.atomic
def extension_grant(*, application: Application, actor: Any, on: dt.date, days: int, reason: str) -> Application:
    """One extension of at most 20 working days, approved by the 负责人 (第三十三条)."""
    app = _locked(application)
    require(user=actor, action="extend", body=app.body)
    _check_date(on, app)
    if not reason.strip():
        raise Invalid("请填写延期理由", details={"reason": ["请填写延期理由"]})
    if app.status not in (Status.OPEN, Status.CONSULTING):
        raise Conflict(f"申请当前状态为“{Status(app.status).label}”，不能延长答复期限")
    before = snapshot(app, TRACKED)
    approved_by = actor.get_full_name() or actor.get_username()
    _apply(app, actor=actor, kind=EventKind.EXTENDED, on=on,
           data={"days": int(days), "approved_by": approved_by, "reason": reason.strip()},
           action="application.extend", before=before)
    notices.notify(app, "extended")
    return app


@transaction.atomic
def fee_notice(*, application: Application, actor: Any, on: dt.date, method: str, quantity: int,
               already: int | None = None, notice_received_on: dt.date | None = None) -> Fee:
    """A fee notice (第四十二条, 109号): one method, the amount from :mod:`gongkai.law.fees`; the clock pauses.

    按件 counts the applicant's applications in the natural month: ``already`` defaults to how many the same
    applicant filed at this body earlier in the month of receipt (the ledger knows)."""
    app = _locked(application)
    require(user=actor, action="handle", body=app.body)
    _check_date(on, app)
    if Fee.objects.filter(application=app).exists():
        raise Conflict("该申请已发出收费通知")
    if already is None:
        already = 0
        if method == "items":
            same = Q(applicant_name=app.applicant_name) | (Q(id_number=app.id_number) if app.id_number else Q(pk__in=[]))
            already = (Application.objects.filter(body=app.body).filter(same)
                       .filter(received_on__gte=app.received_on.replace(day=1))
                       .filter(Q(received_on__lt=app.received_on) | Q(received_on=app.received_on, pk__lt=app.pk))
                       .count())
    try:
        quote = fee_by_items(quantity, already=already) if method == "items" else fee_by_pages(quantity)
    except LawError as exc:
        raise Invalid(str(exc), details={"quantity": [str(exc)]}) from None
    if method not in ("items", "pages"):
        raise Invalid("请选择收费方式")
    if quote.amount <= 0:
        raise Invalid("按该数量计算不收取信息处理费，无需发出收费通知", details={"quantity": ["免费范围内"]})
    before = snapshot(app, TRACKED)
    _transition(app, Status.FEE)
    fee = Fee.objects.create(application=app, method=method, quantity=quantity, already=already, amount=quote.amount,
                             breakdown="\n".join(quote.lines), noticed_on=on, notice_received_on=notice_received_on)
    _apply(app, actor=actor, kind=EventKind.FEE_NOTICE, on=on,
           data={"amount": str(quote.amount), "method": method, "quantity": quantity,
                 "received": notice_received_on.isoformat() if notice_received_on else None},
           action="application.fee_notice", before=before)
    notices.notify(app, "fee_notice")
    return fee


@transaction.atomic
def fee_paid(*, application: Application, actor: Any, on: dt.date, receipt_no: str) -> Fee:
    app = _locked(application)
    require(user=actor, action="handle", body=app.body)
    _check_date(on, app)
    fee = Fee.objects.filter(application=app).first()
    if fee is None or fee.paid_on is not None:
        raise Conflict("没有待缴的收费通知")
    if not receipt_no.strip():
        raise Invalid("请填写财政票据号", details={"receipt_no": ["请填写财政票据号"]})
    before = snapshot(app, TRACKED)
    _transition(app, Status.OPEN)
    fee.paid_on, fee.receipt_no = on, receipt_no.strip()
    fee.save()
    _apply(app, actor=actor, kind=EventKind.FEE_PAID, on=on, data={"receipt_no": fee.receipt_no},
           action="application.fee_paid", before=before)
    return fee


# --- decisions ------------------------------------------------------------------------------------------------

def _validate_reply_type(value: str) -> None:
    if value not in ReplyType.values:
        raise Invalid("请选择答复类型（年报第三部分的一项）", details={"reply_type": ["无效的答复类型"]})


def _check_reply_dates(app: Application, made: dt.date, sent: dt.date, delivered: dt.date | None) -> None:
    _check_date(sent, app)
    if sent < made:
        raise Invalid("答复发出日期不能早于作出日期", details={"sent_on": ["答复发出日期不能早于作出日期"]})
    if delivered is not None:
        _check_date(delivered, app)
        if delivered < sent:
            raise Invalid("送达日期不能早于发出日期", details={"delivered_on": ["送达日期不能早于发出日期"]})


@transaction.atomic
def decision_record(*, application: Application, actor: Any, on: dt.date, reply_type: str = "",
                    summary: str = "", outcomes: Iterable[str] = (), sent_on: dt.date | None = None,
                    delivered_on: dt.date | None = None) -> Application:
    """Record the reply made (作出) on ``on``. A 审核人 closes it at once, on the day it is sent (``sent_on``,
    default ``on``: the deadline is measured by the sent date), with the delivery date if known; otherwise it
    waits for review (status 待审核) and is sent when approved.

    ``outcomes`` are the results of the parts of a reply that answers several items; the one report row is then
    :func:`gongkai.law.decisions.report_row_for` — 部分公开 whenever something is given and something withheld
    (第三十七条), else ``reply_type`` names the primary result."""
    from ..bodies.permissions import can

    app = _locked(application)
    require(user=actor, action="handle", body=app.body)
    _check_date(on, app)
    parts = [o for o in outcomes if o]
    if parts:
        for o in parts:
            _validate_reply_type(o)
        try:
            reply_type = report_row_for(parts, primary=reply_type or None).row_key
        except LawError as exc:
            raise Invalid(str(exc), details={"reply_type": [str(exc)]}) from None
    _validate_reply_type(reply_type)
    closes = can(user=actor, action="review", body=app.body)
    if closes:
        _check_reply_dates(app, on, sent_on or on, delivered_on)
    before = snapshot(app, TRACKED)
    app.reply_type, app.reply_summary, app.reply_on = reply_type, summary.strip(), on
    if closes:
        _close(app, actor=actor, sent=sent_on or on, delivered=delivered_on, before=before, action="application.decide")
    else:
        _transition(app, Status.REVIEW)
        _apply(app, actor=actor, kind=EventKind.DECISION_DRAFTED, on=on, data={"reply_type": reply_type},
               action="application.draft", before=before)
    return app


@transaction.atomic
def decision_approve(*, application: Application, actor: Any, sent_on: dt.date | None = None,
                     delivered_on: dt.date | None = None) -> Application:
    """Approve the drafted reply; it is sent on ``sent_on`` (not before it was made; default: the day it was made —
    the case page offers today)."""
    app = _locked(application)
    require(user=actor, action="review", body=app.body)
    if app.status != Status.REVIEW:
        raise Conflict("该申请没有待审核的答复")
    made = app.reply_on or _today()
    sent = sent_on or made
    _check_reply_dates(app, made, sent, delivered_on)
    before = snapshot(app, TRACKED)
    _close(app, actor=actor, sent=sent, delivered=delivered_on, before=before, action="application.approve")
    return app


@transaction.atomic
def decision_return(*, application: Application, actor: Any, reason: str) -> Application:
    app = _locked(application)
    require(user=actor, action="review", body=app.body)
    if app.status != Status.REVIEW:
        raise Conflict("该申请没有待审核的答复")
    before = snapshot(app, TRACKED)
    _transition(app, Status.OPEN)
    app.reply_type, app.reply_on = "", None
    _apply(app, actor=actor, kind=EventKind.DECISION_RETURNED, on=_today(), data={"reason": reason},
           action="application.return", before=before)
    return app


@transaction.atomic
def reply_delivered(*, application: Application, actor: Any, on: dt.date) -> Application:
    """Record the day the reply reached the applicant (送达: the signed receipt, the e-mail, the hand-over)."""
    app = _locked(application)
    require(user=actor, action="handle", body=app.body)
    _check_date(on, app)
    if app.status != Status.CLOSED or app.reply_sent_on is None:
        raise Conflict("答复尚未发出，不能登记送达")
    if app.reply_delivered_on is not None:
        raise Conflict(f"已登记送达日期（{app.reply_delivered_on:%Y-%m-%d}）")
    if on < app.reply_sent_on:
        raise Invalid("送达日期不能早于发出日期", details={"on": ["送达日期不能早于发出日期"]})
    before = snapshot(app, TRACKED)
    app.reply_delivered_on = on
    _apply(app, actor=actor, kind=EventKind.REPLY_DELIVERED, on=on, action="application.delivered", before=before)
    return app


LAPSE_ROWS = {"no_correction": NO_CORRECTION, "no_fee": NO_FEE, "withdrawn": OTHER}


@transaction.atomic
def application_lapse(*, application: Application, actor: Any, on: dt.date, reason: str) -> Application:
    """Close as deemed withdrawn: no correction (第三十条), fee not paid (109号), or withdrawn by the applicant."""
    app = _locked(application)
    require(user=actor, action="handle", body=app.body)
    _check_date(on, app)
    if reason not in LAPSE_ROWS:
        raise Invalid("无效的办结原因")
    if reason == "no_correction" and app.status != Status.CORRECTION:
        raise Conflict("只有待补正的申请才能按逾期不补正办结")
    if reason == "no_fee" and app.status != Status.FEE:
        raise Conflict("只有待缴费的申请才能按逾期未缴费办结")
    before = snapshot(app, TRACKED)
    app.reply_type, app.reply_on = LAPSE_ROWS[reason], on
    app.reply_summary = {"no_correction": "申请人无正当理由逾期不补正，视为放弃申请。",
                         "no_fee": "申请人逾期未缴纳信息处理费，视为放弃申请。",
                         "withdrawn": "申请人撤回申请。"}[reason]
    _close(app, actor=actor, sent=on, delivered=None, before=before, action=f"application.lapse.{reason}")
    return app


def _close(app: Application, *, actor: Any, sent: dt.date, delivered: dt.date | None, before: dict,
           action: str) -> None:
    """Close on the day the reply is sent (发出): the act the deadline is measured by."""
    _transition(app, Status.CLOSED)
    app.closed_on = app.reply_sent_on = sent
    app.reply_delivered_on = delivered
    data: dict[str, Any] = {"reply_type": app.reply_type}
    if app.reply_on is not None and app.reply_on != sent:
        data["made"] = app.reply_on.isoformat()
    if delivered is not None:
        data["delivered"] = delivered.isoformat()
    _apply(app, actor=actor, kind=EventKind.CLOSED, on=sent, data=data,
           action=action, before=before, note=f"办结：{law_reply_type(app.reply_type).full_label}")
    notices.notify(app, "closed")


# --- other pauses and the body's deadline settings --------------------------------------------------------------

@transaction.atomic
def pause_record(*, application: Application, actor: Any, start: dt.date, end: dt.date, note: str,
                 approved_by: str) -> Application:
    """Record a period the office could not act (force majeure, e.g. an epidemic lockdown), with its reason and
    approver: its working days are not counted (law.md §3.1; only where the body allows it)."""
    app = _locked(application)
    require(user=actor, action="handle", body=app.body)
    policy = DeadlinePolicy.objects.filter(body=app.body).first()
    if policy is None or not policy.allow_other_pauses:
        raise Conflict("本机关未启用“不可抗力等无法办理的期间”：请管理员在期限设置中启用")
    if app.status == Status.CLOSED:
        raise Conflict("申请已办结，不能再记录暂停期间")
    errors: dict[str, list[str]] = {}
    if not note.strip():
        errors["note"] = ["请写明无法办理的原因（如疫情封控）"]
    if not approved_by.strip():
        errors["approved_by"] = ["请填写批准人"]
    if end < start:
        errors["end"] = ["结束日期不能早于开始日期"]
    if errors:
        raise Invalid("；".join(m[0] for m in errors.values()), details=errors)
    _check_date(start, app)
    before = snapshot(app, TRACKED)
    _apply(app, actor=actor, kind=EventKind.PAUSE_RECORDED, on=start,
           data={"start": start.isoformat(), "end": end.isoformat(), "note": note.strip(),
                 "approved_by": approved_by.strip()},
           action="application.pause_record", before=before)
    return app


@transaction.atomic
def deadline_policy_save(*, body: Body, actor: Any, rest_day_next_working_day: bool,
                         allow_other_pauses: bool) -> DeadlinePolicy:
    """The body's 管理员 sets the deadline options; the open deadlines of the body are replayed (and each change
    logged on its case)."""
    require(user=actor, action="manage", body=body)
    policy = DeadlinePolicy.objects.select_for_update().filter(body=body).first() or DeadlinePolicy(body=body)
    fields = ["rest_day_next_working_day", "allow_other_pauses"]
    before = snapshot(policy, fields) if policy.pk else None
    policy.rest_day_next_working_day, policy.allow_other_pauses = rest_day_next_working_day, allow_other_pauses
    policy.save()
    audit_record(actor=actor, action="applications.deadline_policy", subject=policy, body=body, before=before,
                 after=snapshot(policy, fields))
    if before is None or before["rest_day_next_working_day"] != rest_day_next_working_day:
        deadlines_recompute_open(actor=actor, reason="期限设置变更（休息日收到申请的计算）",
                                 queryset=Application.objects.filter(body=body, status__in=OPEN_STATUSES))
    return policy


# --- calendar changes ----------------------------------------------------------------------------------------

def deadlines_recompute_open(*, actor: Any = None, years: Iterable[int] = (), reason: str = "工作日历变更",
                             queryset: QuerySet[Application] | None = None) -> int:
    """Replay every open application (and every closed one still without a due date) against the current
    calendar; log each change of the due date, or of its being an estimate (预计 → 正式 when the year's notice
    is entered), on its case. Returns how many changed. Runs inside the caller's transaction."""
    calendar = working_calendar()
    changed = 0
    qs = queryset if queryset is not None else Application.objects.filter(
        Q(status__in=OPEN_STATUSES) | Q(status=Status.CLOSED, due_on__isnull=True))
    for app in qs.select_related("body").prefetch_related("events").iterator(chunk_size=500):
        before = snapshot(app, TRACKED)
        try:
            deadline, problem = replay(app, list(app.events.all()), calendar=calendar, today=_today())
        except LawError:
            continue  # an impossible history cannot arise through the services; leave it for a human
        old_due, old_text, old_provisional = app.due_on, app.deadline_text, app.due_provisional
        _store_deadline(app, deadline, problem)
        if app.due_on == old_due and app.deadline_text == old_text and app.due_provisional == old_provisional:
            continue
        Application.objects.filter(pk=app.pk).update(
            due_on=app.due_on, due_provisional=app.due_provisional, due_note=app.due_note,
            deadline_status=app.deadline_status, deadline_text=app.deadline_text)
        if app.due_on != old_due or app.due_provisional != old_provisional:
            changed += 1
            data: dict[str, Any] = {"before": old_due.isoformat() if old_due else None,
                                    "after": app.due_on.isoformat() if app.due_on else None, "reason": reason}
            if old_provisional and not app.due_provisional:
                data["note"] = "预计期限改为正式期限（已按录入的放假安排计算）"
            elif app.due_provisional and not old_provisional:
                data["note"] = f"期限改为预计：{app.due_note}"
            CaseEvent.objects.create(
                application=app, kind=EventKind.DEADLINE_CHANGED, on=_today(), data=data,
                actor=actor if getattr(actor, "is_authenticated", False) else None, actor_name=_actor_name(actor))
            audit_record(actor=actor, action="application.deadline_recomputed", subject=app, body=app.body,
                         before=before, after=snapshot(app, TRACKED), note=reason)
    return changed
