"""``/api/catalog/``: the public catalog (no authentication; only public items) and the staff workflow."""
from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status as HttpStatus

from ..bodies.permissions import bodies_for
from ..core.errors import NotFound
from . import services
from .search import search_items
from .selectors import item_public_get, items_public, items_visible_to

router = Router(tags=["主动公开"])


class PublicItemOut(Schema):
    index_no: str
    title: str
    doc_number: str
    issuer: str
    category: str
    subject: str
    written_on: dt.date | None
    published_at: dt.datetime
    validity: str
    summary: str


class PublicItemDetail(PublicItemOut):
    text: str
    attachments: list[str]


class StaffItemOut(Schema):
    id: int
    body_id: int
    title: str
    state: str
    category: str
    disclosure: str
    index_no: str | None
    author_id: int
    approved_by_id: int | None


class ItemIn(Schema):
    body_id: int
    title: str
    category: str = "other"
    doc_number: str = ""
    subject: str = ""
    disclosure: str = "proactive"
    withheld_reason: str = ""
    doc_kind: str = ""
    validity: str = ""
    keywords: str = ""
    summary: str = ""
    text: str = ""
    written_on: dt.date | None = None
    formed_on: dt.date | None = None
    internal_note: str = ""


class ItemPatch(Schema):
    """The fields to change (only those given); an item can be changed only in 草稿 or 已退回."""

    title: str | None = None
    category: str | None = None
    doc_number: str | None = None
    subject: str | None = None
    disclosure: str | None = None
    withheld_reason: str | None = None
    doc_kind: str | None = None
    validity: str | None = None
    keywords: str | None = None
    summary: str | None = None
    text: str | None = None
    written_on: dt.date | None = None
    formed_on: dt.date | None = None
    internal_note: str | None = None


class ReasonIn(Schema):
    reason: str


class ReviewIn(Schema):
    approve: bool
    basis: str = ""
    reasons: str = ""
    hold: bool = False  # 公开与保密界限不清，暂缓公开 (approve false; reasons: what is unclear)
    # the three rules of 保密审查 (未经保密审查… / 未经解密和未准予公开… / 公开与保密界限不清…): true = satisfied
    check_reviewed: bool | None = None
    check_declassified: bool | None = None
    check_boundary_clear: bool | None = None


class SettleIn(Schema):
    approve: bool  # true: 可以公开; false: 退回修改
    note: str = ""  # required: checked by the service after the permission (a stranger gets 403/404 first)


class HeldOut(Schema):
    item_id: int
    title: str
    body_id: int
    held_by: str
    held_at: dt.datetime
    reason: str
    working_days: int
    urgent: bool
    may_settle: bool


class SearchOut(Schema):
    total: int
    capped: bool
    items: list[PublicItemOut]


@router.get("/public/search", response=SearchOut, auth=None, summary="检索公开信息（公众，无需登录）")
def public_search(request: HttpRequest, q: str, body: int | None = None, category: str | None = None,
                  year: int | None = None, page: int = 1) -> dict:
    result = search_items(query=q, public=items_public(), body_id=body, category=category, year=year,
                          page=max(1, min(page, 100)))
    return {"total": result.total, "capped": result.capped, "items": [h.item for h in result.hits]}


@router.get("/public/item", response=PublicItemDetail, auth=None, summary="按索引号取公开信息（公众）")
def public_item(request: HttpRequest, index_no: str) -> dict:
    item = item_public_get(index_no=index_no)
    if item is None:
        raise NotFound("未找到该信息")
    data = PublicItemOut.from_orm(item).dict()
    data["text"] = item.text
    data["attachments"] = [a.name for a in item.attachments.all()]
    return data


@router.get("/items", response=list[StaffItemOut], summary="我可见的公开信息（含未发布）")
def staff_items(request: HttpRequest, state: str | None = None) -> list:
    qs = items_visible_to(user=request.user)
    return list(qs.filter(state=state)[:500] if state else qs[:500])


def _item(request: HttpRequest, item_id: int):  # type: ignore[no-untyped-def]
    item = items_visible_to(user=request.user).filter(pk=item_id).first()
    if item is None:
        raise NotFound("未找到该信息")
    return item


@router.post("/items", response={201: StaffItemOut}, summary="起草")
def create_item(request: HttpRequest, payload: ItemIn) -> HttpStatus:
    body = bodies_for(user=request.user, action="register").filter(pk=payload.body_id).first()
    if body is None:
        raise NotFound("未找到该机关")
    data = payload.dict(exclude={"body_id"})
    return HttpStatus(201, services.item_create(body=body, author=request.user, **data))


@router.post("/items/{item_id}/submit", response=StaffItemOut, summary="提交保密审查")
def submit_item(request: HttpRequest, item_id: int) -> object:
    return services.item_submit(item=_item(request, item_id), actor=request.user)


@router.post("/items/{item_id}/review", response=StaffItemOut, summary="保密审查（通过、退回或界限不清暂缓公开）")
def review_item(request: HttpRequest, item_id: int, payload: ReviewIn) -> object:
    item = _item(request, item_id)
    answers = {k: getattr(payload, k) for k in ("check_reviewed", "check_declassified", "check_boundary_clear")}
    services.item_review(item=item, reviewer=request.user, approve=payload.approve, basis=payload.basis,
                         reasons=payload.reasons, hold=payload.hold,
                         checklist=answers if any(v is not None for v in answers.values()) else None)
    return _item(request, item_id)


@router.post("/items/{item_id}/settle", response=StaffItemOut,
             summary="裁定暂缓公开的信息（负责人或保密员：可以公开或退回）")
def settle_item(request: HttpRequest, item_id: int, payload: SettleIn) -> object:
    services.item_settle(item=_item(request, item_id), actor=request.user, approve=payload.approve, note=payload.note)
    return _item(request, item_id)


@router.get("/held", response=list[HeldOut], summary="暂缓公开待裁定的信息（公开与保密界限不清）")
def held_list(request: HttpRequest) -> list:
    from .selectors import held_items

    return [{"item_id": r.hold.item_id, "title": r.hold.item.title, "body_id": r.hold.item.body_id,
             "held_by": r.hold.held_by.get_username(), "held_at": r.hold.held_at, "reason": r.hold.reason,
             "working_days": r.working_days, "urgent": r.urgent, "may_settle": r.may_settle}
            for r in held_items(user=request.user)]


@router.post("/items/{item_id}/publish", response=StaffItemOut, summary="发布（须已通过他人审查）")
def publish_item(request: HttpRequest, item_id: int) -> object:
    return services.item_publish(item=_item(request, item_id), actor=request.user)


@router.get("/items/{item_id}", response=StaffItemOut, summary="一条公开信息（含未发布）")
def get_item(request: HttpRequest, item_id: int) -> object:
    return _item(request, item_id)


@router.patch("/items/{item_id}", response=StaffItemOut, summary="修改（仅草稿或已退回；之后由未经手的他人审查）")
def update_item(request: HttpRequest, item_id: int, payload: ItemPatch) -> object:
    fields = {k: v for k, v in payload.dict(exclude_unset=True).items()
              if v is not None or k in ("written_on", "formed_on")}  # a text field sent as null is left as it is
    return services.item_update(item=_item(request, item_id), actor=request.user, **fields)


@router.post("/items/{item_id}/return", response=StaffItemOut,
             summary="退回草稿（已通过审查、已发布或已撤回的信息；审查结论作废，留痕）")
def return_item(request: HttpRequest, item_id: int, payload: ReasonIn) -> object:
    return services.item_return_to_draft(item=_item(request, item_id), actor=request.user, reason=payload.reason)
