
import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status as HttpStatus

from ..applications.selectors import application_get
from ..core.errors import NotFound
from .selectors import appeal_get, appeals_visible_to
from .services import appeal_create, appeal_decide

router = Router(tags=["复议诉讼"])


class AppealIn(Schema):
    application_id: int
    kind: str
    authority: str
    filed_on: dt.date
    case_number: str = ""
    review_id: int | None = None
    note: str = ""


class AppealOut(Schema):
    id: int
    application_id: int
    kind: str
    review_id: int | None
    authority: str
    case_number: str
    filed_on: dt.date
    result: str
    decided_on: dt.date | None


class DecideIn(Schema):
    result: str
    decided_on: dt.date | None = None


@router.get("/", response=list[AppealOut], summary="复议诉讼案件（可见机关）")
def list_appeals(request: HttpRequest, application_id: int | None = None) -> Any:
    qs = appeals_visible_to(user=request.user)
    if application_id:
        qs = qs.filter(application_id=application_id)
    return list(qs[:1000])


@router.post("/", response={201: AppealOut}, summary="登记复议或诉讼案件")
def create(request: HttpRequest, payload: AppealIn) -> Any:
    app = application_get(user=request.user, pk=payload.application_id)
    review = None
    if payload.review_id:
        review = appeals_visible_to(user=request.user).filter(pk=payload.review_id).first()
        if review is None:
            raise NotFound("未找到关联的复议案件")
    appeal = appeal_create(application=app, kind=payload.kind, authority=payload.authority, filed_on=payload.filed_on,
                           case_number=payload.case_number, review=review, note=payload.note, actor=request.user)
    return HttpStatus(201, appeal)


@router.get("/{appeal_id}", response=AppealOut, summary="案件详情")
def detail(request: HttpRequest, appeal_id: int) -> Any:
    return appeal_get(user=request.user, pk=appeal_id)


@router.post("/{appeal_id}/result", response=AppealOut, summary="登记结果")
def decide(request: HttpRequest, appeal_id: int, payload: DecideIn) -> Any:
    appeal = appeal_get(user=request.user, pk=appeal_id)
    return appeal_decide(appeal=appeal, result=payload.result, decided_on=payload.decided_on, actor=request.user)
