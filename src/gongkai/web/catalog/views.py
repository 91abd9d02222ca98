"""Staff pages of the catalog: validate, call a service, render."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ..bodies.models import Body
from ..bodies.permissions import bodies_for
from ..core.errors import Forbidden, Invalid, NotFound, TooLarge, WebError
from ..core.params import int_param
from . import services
from .forms import ITEM_FIELDS, FiguresForm, ItemForm, LinkForm, ReviewForm, SettleForm
from .models import Item, ItemState, YearFigures
from .permissions import item_actions, review_refusal
from .selectors import held_items, items_to_review, items_visible_to, overdue_items, timeliness


def _item(request: HttpRequest, pk: int) -> Item:
    item = items_visible_to(user=request.user).filter(pk=pk).first()
    if item is None:
        raise NotFound("未找到该信息")
    return item


def _chosen_body(bodies: QuerySet[Body], raw: str | None) -> Body:
    """The body named in the form, which must be one of ``bodies`` (404 otherwise, never a silent fallback to
    another body); the first of them when the form names none."""
    if not raw:
        return bodies.first()
    body = bodies.filter(pk=int_param(raw, label="机关")).first()
    if body is None:
        raise NotFound("未找到该机关")
    return body


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    qs = items_visible_to(user=request.user)
    state = request.GET.get("state", "")
    if state in ItemState.values:
        qs = qs.filter(state=state)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(title__icontains=q)
    return render(request, "catalog/list.html", {
        "items": qs.order_by("-updated_at")[:200], "states": ItemState.choices, "state": state, "q": q,
        "to_review": items_to_review(user=request.user).count(),
        "to_settle": [r for r in held_items(user=request.user) if r.may_settle],
        "can_create": bodies_for(user=request.user, action="register").exists(),
        "register_bodies": bodies_for(user=request.user, action="register")})


@login_required
def item_new(request: HttpRequest) -> HttpResponse:
    bodies = bodies_for(user=request.user, action="register")
    if not bodies.exists():
        raise Forbidden("您没有起草公开信息的权限")
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        body = _chosen_body(bodies, request.POST.get("body"))
        try:
            item = services.item_create(body=body, author=request.user,
                                        **{f: form.cleaned_data[f] for f in ITEM_FIELDS})
        except Invalid as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已保存草稿")
            return redirect("catalog:detail", pk=item.pk)
    return render(request, "catalog/form.html", {"form": form, "bodies": bodies, "item": None})


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if "edit" not in item_actions(user=request.user, item=item):
        raise Forbidden("该信息当前不能修改")
    form = ItemForm(request.POST or None, instance=Item.objects.get(pk=item.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(item=item, actor=request.user, **{f: form.cleaned_data[f] for f in ITEM_FIELDS})
        except WebError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已保存")
            return redirect("catalog:detail", pk=item.pk)
    return render(request, "catalog/form.html", {"form": form, "item": item})


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            _act(request, item, action)
        except WebError as exc:
            messages.error(request, exc.message)
            if action != "attach" or "file" not in request.FILES:
                return redirect("catalog:detail", pk=item.pk)
            status = exc.status  # a refused upload: the page again, its status saying why (413/422)
        else:
            return redirect("catalog:detail", pk=item.pk)
    from .selectors import _calendar

    actions = item_actions(user=request.user, item=item)
    related_q = request.GET.get("related_q", "").strip()[:100]
    return render(request, "catalog/detail.html", {
        "item": item, "actions": actions, "review_refusal": review_refusal(user=request.user, item=item),
        "code_missing": None if item.index_no else services.index_code_missing(item.body),
        "reviews": item.reviews.select_related("reviewer"), "attachments": item.attachments.all(),
        "timeliness": timeliness(item, calendar=_calendar()), "review_form": ReviewForm(),
        "settle_form": SettleForm(), "hold": item.holds.order_by("-held_at").select_related("held_by", "settled_by")
        .first(),
        "related": item.related.order_by("-created_at", "-pk"), "related_q": related_q,
        "link_form": LinkForm(item=item, visible=items_visible_to(user=request.user), query=related_q)
        if "relate" in actions else None}, status=status)


def _act(request: HttpRequest, item: Item, action: str) -> None:
    user, post = request.user, request.POST
    if action == "submit":
        services.item_submit(item=item, actor=user)
        messages.success(request, "已提交保密审查")
    elif action == "review":
        decision = post.get("decision", "")
        if decision not in ("approve", "reject", "hold"):
            raise Invalid("请选择审查结论")
        services.item_review(item=item, reviewer=user, approve=decision == "approve", hold=decision == "hold",
                             basis=post.get("basis", ""), reasons=post.get("reasons", ""),
                             checklist=ReviewForm(post).checklist())
        messages.success(request, {"approve": "审查通过，可以发布", "reject": "已退回起草人",
                                   "hold": "公开与保密界限不清，已暂缓公开，等待裁定"}[decision])
    elif action == "settle":
        decision = post.get("decision", "")
        if decision not in ("approve", "return"):
            raise Invalid("请选择裁定结果")
        services.item_settle(item=item, actor=user, approve=decision == "approve", note=post.get("note", ""))
        messages.success(request, "已裁定可以公开，可以发布" if decision == "approve" else "已裁定退回起草人")
    elif action == "publish":
        item = services.item_publish(item=item, actor=user)
        messages.success(request, f"已发布，索引号 {item.index_no}")
    elif action == "withdraw":
        services.item_withdraw(item=item, actor=user, reason=post.get("reason", ""))
        messages.success(request, "已撤回")
    elif action == "return_draft":
        services.item_return_to_draft(item=item, actor=user, reason=post.get("reason", ""))
        messages.success(request, "已退回草稿，原审查结论作废；修改后须重新提交保密审查")
    elif action == "validity":
        try:
            on = dt.date.fromisoformat(post.get("on", ""))
        except ValueError:
            raise Invalid("请填写日期") from None
        services.item_set_validity(item=item, actor=user, validity=post.get("validity", ""), on=on)
        messages.success(request, "已更新有效性")
    elif action == "attach":
        upload = request.FILES.get("file")
        if upload is None:
            raise Invalid("请选择附件")
        if upload.size > services.MAX_ATTACHMENT:  # refused before a byte is read into memory
            raise TooLarge("附件不能超过 20 MB")
        services.attachment_add(item=item, actor=user, name=upload.name, data=upload.read())
        messages.success(request, "已添加附件")
    elif action in ("link", "unlink"):
        _relate(request, item, action)
    else:
        raise Invalid("未知的操作")


def _relate(request: HttpRequest, item: Item, action: str) -> None:
    """Add or remove a 相关解读 (both directions; the services check the body and the permission)."""
    if "relate" not in item_actions(user=request.user, item=item):
        raise Forbidden("您没有关联该信息的权限")
    visible = items_visible_to(user=request.user)
    if action == "link":
        form = LinkForm(request.POST, item=item, visible=visible)
        if not form.is_valid():
            raise Invalid("；".join(m for ms in form.errors.values() for m in ms))
        other = form.cleaned_data["target"]
        services.item_link(item=item, other=other, actor=request.user)
        messages.success(request, f"已关联“{other.title}”")
    else:
        raw = request.POST.get("other", "")
        other = visible.filter(pk=raw).first() if raw.isdigit() else None
        if other is None:
            raise NotFound("未找到要取消关联的信息")
        services.item_unlink(item=item, other=other, actor=request.user)
        messages.success(request, f"已取消与“{other.title}”的关联")


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    from ..core.review import may_approve

    items = [i for i in items_to_review(user=request.user)[:500]
             if may_approve(user=request.user, subject=i, rule=services.REVIEW_RULE)]
    return render(request, "catalog/queue.html", {"items": items})


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/overdue.html", {"rows": overdue_items(user=request.user),
                                                    "held": held_items(user=request.user)})


@login_required
def held(request: HttpRequest) -> HttpResponse:
    """暂缓公开: items held as 公开与保密界限不清, oldest first; the 负责人 or 保密员 settles them from the item page."""
    from django.conf import settings

    from ..bodies.models import Role

    return render(request, "catalog/held.html", {
        "rows": held_items(user=request.user), "remind_days": settings.GONGKAI_HOLD_REMIND_DAYS,
        "settler": Role(settings.GONGKAI_HOLD_SETTLER).label})


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    bodies = bodies_for(user=request.user, action="register")
    if not bodies.exists():
        raise Forbidden("您没有录入数据的权限")
    body = _chosen_body(bodies, request.POST.get("body") or request.GET.get("body"))
    form = FiguresForm(request.POST or None) if "xlsx" not in request.FILES else FiguresForm()
    status = 200
    if request.method == "POST":
        try:
            if "xlsx" in request.FILES:
                upload = request.FILES["xlsx"]
                if upload.size > services.MAX_FIGURES_UPLOAD:  # refused before a byte is read into memory
                    raise TooLarge("数据表格不能超过 5 MB")
                done = services.figures_import_xlsx(body=body, actor=request.user, data=upload)
                messages.success(request, f"已导入 {len(done)} 个年度的数据")
                return redirect(f"{request.path}?body={body.pk}")
            if form.is_valid():
                data = dict(form.cleaned_data)
                services.figures_set(body=body, actor=request.user, year=data.pop("year"), **data)
                messages.success(request, "已保存")
                return redirect(f"{request.path}?body={body.pk}")
        except WebError as exc:
            messages.error(request, exc.message)
            status = exc.status
    return render(request, "catalog/figures.html", {
        "bodies": bodies, "body": body, "form": form,
        "rows": YearFigures.objects.filter(body=body).order_by("-year")}, status=status)


@login_required
def guide_draft(request: HttpRequest) -> HttpResponse:
    """Draft the 政府信息公开指南 from the body's settings; it is then reviewed and published like any item."""
    if request.method != "POST":
        return redirect("catalog:list")
    from ..portal.services import guide_draft as draft

    body = bodies_for(user=request.user, action="register").filter(
        pk=int_param(request.POST.get("body"), label="机关", default=0)).first()
    if body is None:
        raise NotFound("未找到该机关")
    item = draft(request=request, body=body, actor=request.user)
    messages.success(request, "已按机关设置生成指南草稿，请核对后提交保密审查")
    return redirect("catalog:detail", pk=item.pk)
