"""``/api/channels/``: the channel log (list, create, update, delete, XLSX import) and the year's figures."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as HttpStatus

from ..bodies.permissions import bodies_for, visible_bodies
from ..catalog.selectors import items_visible_to
from ..core.errors import Forbidden, Invalid, NotFound
from . import services
from .models import Entry, Source
from .selectors import entries_behind, entries_visible_to, entry_get, figures_list, outreach_facts, supervision_figures

router = Router(tags=["公开渠道"])


class EntryOut(Schema):
    id: int
    body_id: int
    kind: str
    title: str
    on: dt.date
    item_id: int | None
    link: str
    place: str
    removed_on: dt.date | None
    outlet: str
    level: str
    topic: str
    published_on: dt.date | None
    attendees: int | None
    note: str
    source: str


class EntryIn(Schema):
    body_id: int
    kind: str
    title: str
    on: dt.date
    index_no: str = ""
    link: str = ""
    place: str = ""
    removed_on: dt.date | None = None
    outlet: str = ""
    level: str = ""
    topic: str = ""
    published_on: dt.date | None = None
    attendees: int | None = None
    note: str = ""


class EntryPatch(Schema):
    title: str | None = None
    on: dt.date | None = None
    index_no: str | None = None
    link: str | None = None
    place: str | None = None
    removed_on: dt.date | None = None
    outlet: str | None = None
    level: str | None = None
    topic: str | None = None
    published_on: dt.date | None = None
    attendees: int | None = None
    note: str | None = None


class DeleteIn(Schema):
    reason: str


class FigureOut(Schema):
    key: str
    label: str
    value: int


class RowErrorOut(Schema):
    sheet: str
    row: int
    message: str


class ImportOut(Schema):
    created: int
    duplicates: int
    errors: list[RowErrorOut]
    summary: str


def _item(request: HttpRequest, body_id: int, index_no: str) -> Any:
    if not index_no:
        return None
    item = items_visible_to(user=request.user).filter(body_id=body_id, index_no=index_no.strip()).first()
    if item is None:
        raise Invalid(f"本机关没有索引号为 {index_no} 的公开信息", details={"index_no": ["未找到"]})
    return item


@router.get("/entries", response=list[EntryOut], summary="渠道记录（可按机关、年度、渠道或统计口径筛选）")
def list_entries(request: HttpRequest, body: int | None = None, year: int | None = None, kind: str | None = None,
                 key: str | None = None) -> list[Entry]:
    if key:
        if body is None or year is None:
            raise Invalid("按统计口径（key）查询须同时给出 body 和 year")
        if not visible_bodies(user=request.user).filter(pk=body).exists():
            raise NotFound("未找到该机关")
        return list(entries_behind(body=body, year=year, key=key)[:2000])
    qs = entries_visible_to(user=request.user)
    if body is not None:
        qs = qs.filter(body_id=body)
    if year is not None:
        qs = qs.filter(on__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs[:2000])


@router.post("/entries", response={201: EntryOut}, summary="登记一条渠道记录")
def create_entry(request: HttpRequest, payload: EntryIn) -> HttpStatus:
    body = bodies_for(user=request.user, action="register").filter(pk=payload.body_id).first()
    if body is None:
        if visible_bodies(user=request.user).filter(pk=payload.body_id).exists():
            raise Forbidden("您在该机关没有登记渠道记录的权限")
        raise NotFound("未找到该机关")
    data = payload.dict(exclude={"body_id", "kind", "index_no"})
    entry = services.entry_create(body=body, actor=request.user, kind=payload.kind, source=Source.API,
                                  item=_item(request, body.pk, payload.index_no), **data)
    return HttpStatus(201, entry)


@router.patch("/entries/{entry_id}", response=EntryOut, summary="修改渠道记录（只改给出的字段）")
def update_entry(request: HttpRequest, entry_id: int, payload: EntryPatch) -> Entry:
    entry = entry_get(user=request.user, pk=entry_id)
    data = payload.dict(exclude_unset=True)
    if "index_no" in data:
        data["item"] = _item(request, entry.body_id, data.pop("index_no") or "")
    return services.entry_update(entry=entry, actor=request.user, **data)


@router.delete("/entries/{entry_id}", response={204: None}, summary="删除渠道记录（须写明理由）")
def delete_entry(request: HttpRequest, entry_id: int, payload: DeleteIn) -> HttpStatus:
    services.entry_delete(entry=entry_get(user=request.user, pk=entry_id), actor=request.user,
                          reason=payload.reason)
    return HttpStatus(204, None)


@router.post("/import", response=ImportOut, summary="从 XLSX 导入（错误行逐行报告，其余照常导入）")
def import_entries(request: HttpRequest, body: int, file: UploadedFile = File(...)) -> dict:  # noqa: B008
    target = bodies_for(user=request.user, action="register").filter(pk=body).first()
    if target is None:
        raise NotFound("未找到该机关")
    result = services.entries_import_xlsx(body=target, actor=request.user, data=file.read())
    return {"created": len(result.created), "duplicates": len(result.duplicates),
            "errors": [vars(e) for e in result.errors], "summary": result.summary}


@router.get("/figures", response=list[FigureOut], summary="一个机关一年的数据（年报第一部分）")
def body_figures(request: HttpRequest, body: int, year: int) -> list:
    if not visible_bodies(user=request.user).filter(pk=body).exists():
        raise NotFound("未找到该机关")
    return figures_list(outreach_facts(body=body, year=year))


@router.get("/figures/rollup", summary="我可见的各机关一年的数据及合计（督查）")
def rollup_figures(request: HttpRequest, year: int) -> dict:
    data = supervision_figures(user=request.user, year=year)
    return {"year": year, "columns": list(data["columns"]),
            "bodies": [{"body_id": r["body"].pk, "name": r["body"].name, "values": dict(r["values"])}
                       for r in data["rows"]],
            "total": dict(data["total"])}
