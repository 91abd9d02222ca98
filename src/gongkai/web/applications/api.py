"""``/api/applications/``: registration, the lifecycle actions, letters, due lists, the ledger, the public status."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status as HttpStatus

from ...law.decisions import reply_types
from ..audit.selectors import audit_for
from ..bodies.permissions import bodies_for, visible_bodies
from ..bodies.selectors import body_get
from ..core.errors import Invalid, NotFound
from . import services
from .models import Application
from .selectors import (
    application_get,
    application_hints,
    application_list,
    application_public_status,
    due_rows,
    ledger_cells,
)

router = Router(tags=["依申请公开"])


class ApplicationIn(Schema):
    body_id: int
    channel: str
    submitted_on: dt.date
    signed_for_on: dt.date | None = None
    confirmed_on: dt.date | None = None
    applicant_type: str
    applicant_name: str = Field(..., max_length=100)
    id_type: str = ""
    id_number: str = ""
    credit_code: str = Field("", max_length=30)
    legal_representative: str = Field("", max_length=50)
    contact_name: str = Field("", max_length=50)
    contact_phone: str = ""
    contact_email: str = ""
    contact_address: str = ""
    postcode: str = ""
    description: str = Field(..., max_length=5000)
    requested_form: str = "any"
    delivery: str = "post"


class ApplicationOut(Schema):
    id: int
    number: str
    query_code: str
    body_id: int
    body_name: str
    channel: str
    submitted_on: dt.date
    received_on: dt.date
    applicant_type: str
    applicant_name: str
    description: str
    status: str
    due_on: dt.date | None
    due_provisional: bool = Field(False, description="期限为预计：所跨年度的放假安排尚未录入")
    due_provisional_reason: str | None = Field(None, description="预计的理由，如“2027年放假安排尚未录入，按……预计，不含调休”")
    deadline_status: str
    reply_type: str
    reply_on: dt.date | None
    closed_on: dt.date | None
    handler: str | None = None

    @staticmethod
    def resolve_handler(obj: Any) -> str | None:
        return obj.handler.get_username() if obj.handler_id else None

    @staticmethod
    def resolve_body_name(obj: Any) -> str:
        return obj.body.name

    @staticmethod
    def resolve_due_provisional_reason(obj: Any) -> str | None:
        return (obj.due_note or None) if obj.due_provisional else None


class EventOut(Schema):
    kind: str
    on: dt.date
    data: dict
    actor_name: str


class FeeOut(Schema):
    method: str
    quantity: int
    amount: str
    noticed_on: dt.date
    paid_on: dt.date | None
    receipt_no: str


class ApplicationDetailOut(ApplicationOut):
    credit_code: str = ""
    legal_representative: str = ""
    contact_name: str = ""
    reply_sent_on: dt.date | None = None
    reply_delivered_on: dt.date | None = None
    contact_phone: str
    contact_email: str
    contact_address: str
    requested_form: str
    delivery: str
    reply_summary: str
    deadline_text: str
    events: list[EventOut]
    hints: list[str]
    fee: FeeOut | None = Field(None, alias="fee_info")


class ActionIn(Schema):
    on: dt.date | None = None


class CorrectionIn(ActionIn):
    items: str
    reply_by: dt.date | None = None


class PauseIn(ActionIn):
    reason: Literal["third_party", "inter_body"] = "third_party"
    party: str = ""


class ExtendIn(ActionIn):
    days: int = 20
    reason: str


class FeeIn(ActionIn):
    method: Literal["items", "pages"]
    quantity: int
    already: int | None = None  # 按件: the applicant's earlier applications this month; default from the ledger
    notice_received_on: dt.date | None = None


class FeePaidIn(ActionIn):
    receipt_no: str


class DecisionIn(ActionIn):
    reply_type: str = ""
    summary: str = ""
    outcomes: list[str] = []
    sent_on: dt.date | None = None  # 发出 (default: the day made); the case closes on it
    delivered_on: dt.date | None = None  # 送达, when known


class DeliveredIn(ActionIn):
    pass


class PauseRecordIn(Schema):
    start: dt.date
    end: dt.date
    note: str = Field(..., max_length=200)
    approved_by: str = Field(..., max_length=50)

class ReturnIn(Schema):
    reason: str = ""


class LapseIn(ActionIn):
    reason: Literal["no_correction", "no_fee", "withdrawn"]


class AssignIn(Schema):
    username: str


class ReplyTypeOut(Schema):
    row_key: str
    label: str
    full_label: str
    basis: str
    group: str | None


class PublicStatusOut(Schema):
    number: str
    body: str
    received_on: dt.date
    status: str
    status_label: str
    due_on: dt.date | None
    due_provisional: bool = False
    due_provisional_reason: str | None = None
    closed_on: dt.date | None
    reply_type: str | None
    reply_label: str | None  # the decision in plain words (not the statistics label)
    reply_made_on: dt.date | None = None
    reply_sent_on: dt.date | None = None  # the deadline is measured by this date
    reply_delivered_on: dt.date | None = None
    correction: dict[str, Any] | None = None  # what to correct (items) and by when (reply_by)
    can_correct: bool = False
    fee: dict[str, Any] | None = None  # amount, method, pay_by, how


def _detail(request: HttpRequest, app: Application) -> Application:
    fee = app.fee if hasattr(app, "fee") else None
    app.hints = application_hints(application=app)  # type: ignore[attr-defined]
    app.fee_info = FeeOut(method=fee.method, quantity=fee.quantity, amount=str(fee.amount),  # type: ignore[attr-defined]
                          noticed_on=fee.noticed_on, paid_on=fee.paid_on, receipt_no=fee.receipt_no) if fee else None
    return app


@router.get("/", response=list[ApplicationOut], summary="申请列表（可见机关）")
@paginate(LimitOffsetPagination)
def list_applications(request: HttpRequest, body: int | None = None, status: str | None = None,
                      q: str | None = None, due: Literal["soon", "overdue"] | None = None,
                      applicant_type: str | None = None, year: int | None = None) -> Any:
    return application_list(user=request.user, body=body, status=status, q=q, due=due, applicant_type=applicant_type,
                            year=year)


@router.post("/", response={201: ApplicationDetailOut}, summary="登记申请")
def register(request: HttpRequest, payload: ApplicationIn) -> Any:
    body = bodies_for(user=request.user, action="view").filter(pk=payload.body_id).first()
    if body is None:
        raise NotFound("未找到该机关")
    data = payload.dict()
    data.pop("body_id")
    app = services.application_register(body=body, actor=request.user, **data)
    return HttpStatus(201, _detail(request, app))


@router.get("/reply-types", response=list[ReplyTypeOut], summary="答复类型（年报第三部分的各项）", auth=None)
def list_reply_types(request: HttpRequest) -> Any:
    return [ReplyTypeOut(row_key=t.row_key, label=t.label, full_label=t.full_label, basis=t.basis, group=t.group)
            for t in reply_types()]


@router.get("/due", response=list[ApplicationOut], summary="即将到期与超期的申请")
def due(request: HttpRequest) -> Any:
    return list(due_rows(bodies=visible_bodies(user=request.user))[:500])


@router.get("/public/{query_code}", response=PublicStatusOut, auth=None, summary="按查询码查询办理状态（公众）")
def public_status(request: HttpRequest, query_code: str) -> Any:
    status = application_public_status(query_code=query_code)
    if status is None:
        raise NotFound("查询码不存在，请核对后重新输入")
    return status


@router.get("/ledger/{body_id}/{year}", response=dict[str, int], summary="台账统计：年报第三、四部分")
def ledger(request: HttpRequest, body_id: int, year: int, subordinates: bool = False) -> Any:
    if not 2000 <= year <= 2100:
        raise Invalid("年度无效")
    return ledger_cells(body=body_get(user=request.user, pk=body_id), year=year, include_subordinates=subordinates)


@router.get("/{app_id}", response=ApplicationDetailOut, summary="申请详情（含期限说明与时间线）")
def detail(request: HttpRequest, app_id: int) -> Any:
    return _detail(request, application_get(user=request.user, pk=app_id))


@router.get("/{app_id}/history", response=list[dict], summary="审计记录")
def history(request: HttpRequest, app_id: int) -> Any:
    app = application_get(user=request.user, pk=app_id)
    return [{"at": e.at.isoformat(), "actor": e.actor_name, "action": e.action, "before": e.before, "after": e.after,
             "note": e.note} for e in audit_for(subject=app)]


def _on(payload: ActionIn) -> dt.date:
    return payload.on or timezone.localdate()


def _act(request: HttpRequest, app_id: int, func: Any, **kwargs: Any) -> Any:
    app = application_get(user=request.user, pk=app_id)
    func(application=app, actor=request.user, **kwargs)
    return _detail(request, application_get(user=request.user, pk=app_id))


@router.post("/{app_id}/correction-notice", response=ApplicationDetailOut, summary="发出补正告知（第三十条）")
def act_correction(request: HttpRequest, app_id: int, payload: CorrectionIn) -> Any:
    return _act(request, app_id, services.correction_notice, on=_on(payload), items=payload.items,
                reply_by=payload.reply_by)


@router.post("/{app_id}/correction-received", response=ApplicationDetailOut, summary="收到补正")
def act_correction_received(request: HttpRequest, app_id: int, payload: ActionIn) -> Any:
    return _act(request, app_id, services.correction_received, on=_on(payload))


@router.post("/{app_id}/pause", response=ApplicationDetailOut, summary="征求意见，暂停计时（第三十二、三十四条）")
def act_pause(request: HttpRequest, app_id: int, payload: PauseIn) -> Any:
    return _act(request, app_id, services.pause_start, on=_on(payload), reason=payload.reason, party=payload.party)


@router.post("/{app_id}/resume", response=ApplicationDetailOut, summary="征求意见结束，恢复计时")
def act_resume(request: HttpRequest, app_id: int, payload: ActionIn) -> Any:
    return _act(request, app_id, services.pause_end, on=_on(payload))


@router.post("/{app_id}/extend", response=ApplicationDetailOut, summary="延长答复期限（负责人，第三十三条）")
def act_extend(request: HttpRequest, app_id: int, payload: ExtendIn) -> Any:
    return _act(request, app_id, services.extension_grant, on=_on(payload), days=payload.days, reason=payload.reason)


@router.post("/{app_id}/fee-notice", response=ApplicationDetailOut, summary="发出收费通知（109号）")
def act_fee(request: HttpRequest, app_id: int, payload: FeeIn) -> Any:
    return _act(request, app_id, services.fee_notice, on=_on(payload), method=payload.method,
                quantity=payload.quantity, already=payload.already, notice_received_on=payload.notice_received_on)


@router.post("/{app_id}/fee-paid", response=ApplicationDetailOut, summary="登记缴费与财政票据号")
def act_fee_paid(request: HttpRequest, app_id: int, payload: FeePaidIn) -> Any:
    return _act(request, app_id, services.fee_paid, on=_on(payload), receipt_no=payload.receipt_no)


@router.post("/{app_id}/decision", response=ApplicationDetailOut, summary="登记答复（审核人直接办结）")
def act_decision(request: HttpRequest, app_id: int, payload: DecisionIn) -> Any:
    return _act(request, app_id, services.decision_record, on=_on(payload), reply_type=payload.reply_type,
                summary=payload.summary, outcomes=payload.outcomes, sent_on=payload.sent_on,
                delivered_on=payload.delivered_on)


@router.post("/{app_id}/approve", response=ApplicationDetailOut, summary="审核通过并办结")
def act_approve(request: HttpRequest, app_id: int) -> Any:
    return _act(request, app_id, services.decision_approve)


@router.post("/{app_id}/delivered", response=ApplicationDetailOut, summary="登记答复送达日期")
def act_delivered(request: HttpRequest, app_id: int, payload: DeliveredIn) -> Any:
    return _act(request, app_id, services.reply_delivered, on=_on(payload))


@router.post("/{app_id}/pause-record", response=ApplicationDetailOut,
             summary="记录不可抗力等无法办理的期间（机关期限设置允许时）")
def act_pause_record(request: HttpRequest, app_id: int, payload: PauseRecordIn) -> Any:
    return _act(request, app_id, services.pause_record, start=payload.start, end=payload.end, note=payload.note,
                approved_by=payload.approved_by)


@router.post("/{app_id}/return", response=ApplicationDetailOut, summary="退回修改")
def act_return(request: HttpRequest, app_id: int, payload: ReturnIn) -> Any:
    return _act(request, app_id, services.decision_return, reason=payload.reason)


@router.post("/{app_id}/assign", response=ApplicationDetailOut, summary="分配承办人")
def act_assign(request: HttpRequest, app_id: int, payload: AssignIn) -> Any:
    return _act(request, app_id, services.application_assign, username=payload.username)


@router.post("/{app_id}/lapse", response=ApplicationDetailOut, summary="视为撤回或撤回申请而办结")
def act_lapse(request: HttpRequest, app_id: int, payload: LapseIn) -> Any:
    return _act(request, app_id, services.application_lapse, on=_on(payload), reason=payload.reason)


__all__ = ["router"]
