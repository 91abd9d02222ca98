"""Staff pages of the channel log: the list (with the year's figures), the entry form, XLSX import, the publishing
helpers of a published item, and the supervisors' table."""
from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from ..bodies.models import Body
from ..bodies.permissions import bodies_for, can, visible_bodies
from ..catalog.models import Item
from ..catalog.selectors import items_visible_to
from ..core.csp import styled_fragment
from ..core.errors import Forbidden, Invalid, NotFound, WebError, place_on_form
from ..core.params import year_param
from . import publish, services
from .forms import EntryForm
from .models import Entry, Kind
from .selectors import (
    entries_behind,
    entries_visible_to,
    entry_get,
    figures_list,
    outreach_facts,
    supervision_figures,
)


def _body(bodies: QuerySet[Body], raw: str | None) -> Body | None:
    if not raw:
        return bodies.order_by("path").first()
    body = bodies.filter(pk=raw).first() if str(raw).isdigit() else None
    if body is None:
        raise NotFound("未找到该机关")
    return body


@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    bodies = visible_bodies(user=request.user).order_by("path")
    body = _body(bodies, request.GET.get("body"))
    year = year_param(request.GET.get("year"), default=timezone.localdate().year)
    key = request.GET.get("key", "")
    kind = request.GET.get("kind", "")
    if body is None:
        return render(request, "channels/list.html", {"bodies": bodies, "body": None, "year": year})
    if key:
        qs = entries_behind(body=body, year=year, key=key).select_related("item")
    else:
        qs = entries_visible_to(user=request.user).filter(body=body, on__year=year)
        if kind in Kind.values:
            qs = qs.filter(kind=kind)
    figure_rows = figures_list(outreach_facts(body=body, year=year))
    return render(request, "channels/list.html", {
        "bodies": bodies, "body": body, "year": year, "kind": kind, "key": key, "kinds": Kind.choices,
        "entries": qs.order_by("-on", "-pk")[:500], "count": qs.count(), "figures": figure_rows,
        "key_label": next((f.label.strip("　") for f in figure_rows if f.key == key), key),
        "can_register": can(user=request.user, action="register", body=body)})


def _item_from(request: HttpRequest, body: Body, index_no: str) -> Item | None:
    index_no = (index_no or "").strip()
    if not index_no:
        return None
    item = items_visible_to(user=request.user).filter(body=body, index_no=index_no).first()
    if item is None:
        raise Invalid(f"本机关没有索引号为 {index_no} 的公开信息")
    return item


@login_required
def entry_new(request: HttpRequest) -> HttpResponse:
    bodies = bodies_for(user=request.user, action="register").order_by("path")
    if not bodies.exists():
        raise Forbidden("您没有登记渠道记录的权限")
    body = _body(bodies, request.POST.get("body") or request.GET.get("body"))
    initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") in Kind.values else {}
    form = EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = _item_from(request, body, form.cleaned_data.get("index_no", ""))
            entry = services.entry_create(body=body, actor=request.user, kind=form.cleaned_data["kind"], item=item,
                                          **form.entry_fields())
        except WebError as exc:
            place_on_form(form, exc)
        else:
            messages.success(request, f"已记入台账：{entry}")
            if "again" in request.POST:
                return redirect(f"{reverse('channels:new')}?body={body.pk}&kind={entry.kind}")
            return redirect(_list_url(body, entry.on.year))
    return render(request, "channels/form.html", {"form": form, "bodies": bodies, "body": body, "entry": None})


def _list_url(body: Body, year: int, **extra: str) -> str:
    return f"{reverse('channels:list')}?{urlencode({'body': body.pk, 'year': year, **extra})}"


@login_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = entry_get(user=request.user, pk=pk)
    if not can(user=request.user, action="register", body=entry.body_id):
        raise Forbidden("您没有修改该机关渠道记录的权限")
    form = EntryForm(request.POST or None, instance=Entry.objects.get(pk=entry.pk))
    if request.method == "POST" and request.POST.get("action") == "delete":
        try:
            services.entry_delete(entry=entry, actor=request.user, reason=request.POST.get("reason", ""))
        except WebError as exc:
            messages.error(request, exc.message)
            return redirect("channels:edit", pk=entry.pk)
        messages.success(request, "已删除该记录")
        return redirect(_list_url(entry.body, entry.on.year))
    if request.method == "POST" and form.is_valid():
        try:
            item = _item_from(request, entry.body, form.cleaned_data.get("index_no", ""))
            fields = {name: None if name in ("removed_on", "published_on", "attendees") else ""
                      for name in ("link", "place", "removed_on", "outlet", "level", "topic", "published_on",
                                   "attendees")}
            fields |= form.entry_fields()
            services.entry_update(entry=entry, actor=request.user, item=item, **fields)
        except WebError as exc:
            place_on_form(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect(_list_url(entry.body, form.cleaned_data["on"].year))
    return render(request, "channels/form.html", {"form": form, "body": entry.body, "entry": entry})


@login_required
def import_xlsx(request: HttpRequest) -> HttpResponse:
    bodies = bodies_for(user=request.user, action="register").order_by("path")
    if not bodies.exists():
        raise Forbidden("您没有导入渠道记录的权限")
    body = _body(bodies, request.POST.get("body") or request.GET.get("body"))
    result = None
    if request.method == "POST":
        upload = request.FILES.get("xlsx")
        if upload is None:
            messages.error(request, "请选择要导入的 XLSX 文件")
        else:
            try:
                result = services.entries_import_xlsx(body=body, actor=request.user, data=upload.read())
            except WebError as exc:
                messages.error(request, exc.message)
    return render(request, "channels/import.html", {"bodies": bodies, "body": body, "result": result})


@login_required
def template_xlsx(request: HttpRequest) -> HttpResponse:
    from .xlsx import template

    resp = HttpResponse(template(),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('公开渠道台账导入模板.xlsx')}"
    return resp


# --- publishing helpers ------------------------------------------------------------------------
def _published_item(request: HttpRequest, pk: int) -> Item:
    item = items_visible_to(user=request.user).filter(pk=pk).first()
    if item is None:
        raise NotFound("未找到该信息")
    if item.state != "published" or item.disclosure != "proactive" or not item.index_no:
        raise Invalid("只有已发布的主动公开信息可以使用发布助手")
    return item


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@styled_fragment
@login_required
def helpers(request: HttpRequest, pk: int) -> HttpResponse:
    """The helpers of one published item: the 公众号 article (preview, HTML to copy) and the 公告栏 sheet."""
    item = _published_item(request, pk)
    may = can(user=request.user, action="register", body=item.body_id)
    if request.method == "POST":
        if not may:
            raise Forbidden("您没有登记渠道记录的权限")
        action = request.POST.get("action", "")
        try:
            on = dt.date.fromisoformat(request.POST.get("on", ""))
        except ValueError:
            messages.error(request, "请填写日期（YYYY-MM-DD）")
            return redirect("channels:helpers", pk=item.pk)
        try:
            if action == "sheet":
                size = request.POST.get("size", "A4")
                entry = services.helper_use(item=item, actor=request.user, kind=Kind.BOARD, on=on,
                                            place=request.POST.get("place", ""), what=f"打印公告栏公示单（{size}）")
                return redirect(f"{reverse('channels:sheet', args=[item.pk])}?size={size}&entry={entry.pk}")
            if action == "article":
                entry = services.helper_use(item=item, actor=request.user, kind=Kind.WECHAT, on=on,
                                            link=request.POST.get("link", "").strip(), what="生成公众号文章")
                messages.success(request, f"已记入台账：{entry}。请复制下方文章粘贴到公众号编辑器。")
                return redirect(f"{reverse('channels:helpers', args=[item.pk])}#article")
            raise Invalid("未知的操作")
        except WebError as exc:
            messages.error(request, exc.message)
            return redirect("channels:helpers", pk=item.pk)
    html = publish.article_html(item, base=_base(request))
    uses = item.channel_entries.filter(kind__in=(Kind.BOARD, Kind.WECHAT)).order_by("-on", "-pk")
    return render(request, "channels/helpers.html", {
        "item": item, "article": html, "may": may, "uses": uses, "today": timezone.localdate(),
        "portal_url": publish.portal_url(item, base=_base(request))})


@login_required
def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    item = _published_item(request, pk)
    size = request.GET.get("size", "A4")
    if size not in publish.SIZES:
        raise Invalid("纸张只能是 A4 或 A3")
    pdf = publish.sheet_pdf(item, base=_base(request), size=size)
    resp = HttpResponse(pdf, content_type="application/pdf")
    resp["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(f'公告栏公示-{item.title}-{size}.pdf')}"
    return resp


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """The year's figures of every body the user sees (supervisors: the bodies below theirs), and the sum."""
    year = year_param(request.GET.get("year"), default=timezone.localdate().year)
    data = supervision_figures(user=request.user, year=year)
    return render(request, "channels/figures.html", {
        "year": year, **data, "headings": [COLUMN_LABELS[key] for key in data["columns"]]})


COLUMN_LABELS = {"meetings": "政策会议", "lectures": "宣传讲座", "trainings": "培训", "submitted": "媒体投稿",
                 "published": "媒体刊登", "level:central": "中央媒体", "level:provincial": "省级媒体",
                 "level:city": "市级媒体", "level:district": "区级媒体", "board": "公告栏", "wechat": "公众号",
                 "weibo": "微博"}
