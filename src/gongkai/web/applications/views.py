"""Staff pages: validate with a form, call a service, render. htmx swaps the list table and action panels."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ..audit.present import present
from ..audit.selectors import audit_for
from ..bodies.permissions import allowed_actions, bodies_for, visible_bodies
from ..bodies.selectors import body_get
from ..core.errors import Invalid, NotFound, place_on_form
from ..core.params import int_param, year_param
from . import forms, services
from .models import ApplicantType, Channel, DeadlinePolicy, ReplyType, Status
from .selectors import application_get, application_hints, application_list, ledger_cells, ledger_rows


def _int(value: str | None) -> int | None:
    return int_param(value, label="参数")


@login_required
def application_list_view(request: HttpRequest) -> HttpResponse:
    g = request.GET
    qs = application_list(user=request.user, body=_int(g.get("body")), status=g.get("status") or None,
                          q=g.get("q") or None, due=g.get("due") or None, applicant_type=g.get("applicant_type") or None,
                          channel=g.get("channel") or None, year=year_param(g.get("year"), default=None),
                          reply_type=g.get("reply_type") or None)
    page = Paginator(qs, 30).get_page(g.get("page"))
    context = {"page": page, "rows": page.object_list, "today": timezone.localdate(), "filters": g,
               "bodies": visible_bodies(user=request.user), "statuses": Status.choices,
               "applicant_types": ApplicantType.choices, "channels": Channel.choices,
               "query": g.urlencode() if hasattr(g, "urlencode") else ""}
    template = "applications/_table.html" if request.htmx else "applications/list.html"
    return render(request, template, context)


@login_required
def register_view(request: HttpRequest) -> HttpResponse:
    bodies = bodies_for(user=request.user, action="register")
    if not bodies.exists():
        raise NotFound("您没有可登记申请的机关")
    form = forms.RegisterForm(request.POST or None, request.FILES or None, bodies=bodies,
                              initial={"body": bodies.first(), "submitted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        body = data.pop("body")
        try:
            app = services.application_register(body=body, actor=request.user, **data)
        except Invalid as exc:
            place_on_form(form, exc)
        else:
            messages.success(request, f"已登记：{app.number}，查询码 {app.query_code}")
            return redirect("applications:detail", pk=app.pk)
    return render(request, "applications/register.html", {"form": form})


@login_required
def register_hints(request: HttpRequest) -> HttpResponse:
    """htmx: duplicate and excessive-application hints while the clerk fills in the registration form."""
    from .selectors import applicant_hints

    hints: list[str] = []
    body_id = _int(request.GET.get("body"))
    if body_id is not None:
        body = bodies_for(user=request.user, action="register").filter(pk=body_id).first()
        if body is None:
            raise NotFound("未找到该机关")
        g = request.GET
        hints = applicant_hints(body=body, applicant_name=g.get("applicant_name", ""),
                                id_number=g.get("id_number", ""), description=g.get("description", ""))
    return render(request, "applications/_hints.html", {"hints": hints})


ACTIONS: dict[str, tuple[type, Any, str, str]] = {
    # name: (form, service, permission, success message)
    "correction": (forms.CorrectionForm, services.correction_notice, "handle", "已发出补正告知"),
    "correction_received": (forms.OnForm, services.correction_received, "handle", "已登记收到补正，答复期限重新计算"),
    "pause": (forms.PauseForm, services.pause_start, "handle", "已暂停计时"),
    "resume": (forms.OnForm, services.pause_end, "handle", "已恢复计时"),
    "extend": (forms.ExtendForm, services.extension_grant, "extend", "已延长答复期限"),
    "fee": (forms.FeeForm, services.fee_notice, "handle", "已发出收费通知"),
    "fee_paid": (forms.FeePaidForm, services.fee_paid, "handle", "已登记缴费"),
    "decision": (forms.DecisionForm, services.decision_record, "handle", "已登记答复"),
    "approve": (forms.ApproveForm, services.decision_approve, "review", "已审核通过并办结"),
    "delivered": (forms.DeliveredForm, services.reply_delivered, "handle", "已登记答复送达日期"),
    "pause_record": (forms.PauseRecordForm, services.pause_record, "handle", "已记录不计入期限的期间，答复期限已重新计算"),
    "return": (forms.ReturnForm, services.decision_return, "review", "已退回修改"),
    "lapse": (forms.LapseForm, services.application_lapse, "handle", "已办结"),
    "assign": (forms.AssignForm, services.application_assign, "handle", "已分配承办人"),
}

# Which actions each status offers (the lifecycle as data, shown as panels).
OFFERED: dict[str, list[str]] = {
    Status.OPEN: ["decision", "correction", "pause", "extend", "fee", "pause_record", "lapse", "assign"],
    Status.CORRECTION: ["correction_received", "lapse", "assign"],
    Status.CONSULTING: ["resume", "extend", "pause_record", "assign"],
    Status.FEE: ["fee_paid", "pause_record", "lapse", "assign"],
    Status.REVIEW: ["approve", "return", "pause_record", "assign"],
    Status.CLOSED: ["delivered"],
}
ACTION_TITLES = {"correction": "发出补正告知", "correction_received": "收到补正", "pause": "征求意见（暂停计时）",
                 "resume": "征求意见结束", "extend": "延长答复期限", "fee": "发出收费通知", "fee_paid": "登记缴费",
                 "decision": "登记答复", "approve": "审核通过", "return": "退回修改", "lapse": "撤回/视为撤回",
                 "assign": "分配承办人", "delivered": "登记送达日期",
                 "pause_record": "记录不可抗力等无法办理的期间"}


def _panels(app: Any, user: Any, bound: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    allowed = allowed_actions(user=user, body=app.body)
    policy = DeadlinePolicy.objects.filter(body=app.body).first()
    panels = []
    for name in OFFERED[app.status]:
        form_cls, _, perm, _ = ACTIONS[name]
        if perm not in allowed:
            continue
        if name == "pause_record" and not (policy and policy.allow_other_pauses):
            continue  # the body has not allowed other pauses (law.md §3.1)
        if name == "delivered" and (app.reply_delivered_on or not app.reply_sent_on):
            continue
        today = timezone.localdate()
        form = (bound or {}).get(name) or form_cls(initial={"on": today, "start": today, "end": today})
        if name == "assign":
            form.fields["username"].widget.choices = _handlers(app.body)
        panels.append({"name": name, "title": ACTION_TITLES[name], "form": form, "open": name in (bound or {})})
    return panels


def _handlers(body: Any) -> list[tuple[str, str]]:
    from django.contrib.auth import get_user_model

    from ..bodies.permissions import ACTIONS as ROLE_ACTIONS

    users = get_user_model().objects.filter(memberships__body=body,
                                            memberships__role__in=ROLE_ACTIONS["handle"]).distinct().order_by("username")
    return [(u.username, u.get_full_name() or u.username) for u in users]


def _case_context(request: HttpRequest, app: Any, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"app": app, "events": app.events.all(), "hints": application_hints(application=app),
            "panels": _panels(app, request.user, bound), "fee": getattr(app, "fee", None) if hasattr(app, "fee") else None,
            "reply_label": ReplyType(app.reply_type).label if app.reply_type else "",
            "today": timezone.localdate(), "actions": allowed_actions(user=request.user, body=app.body),
            "appeals": app.appeals.all(), "files": list(app.files.all())}


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_get(user=request.user, pk=pk)
    return render(request, "applications/detail.html", _case_context(request, app))


@login_required
@require_POST
def application_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    app = application_get(user=request.user, pk=pk)
    if action not in ACTIONS:
        raise NotFound("未知操作")
    form_cls, service, _, done = ACTIONS[action]
    form = form_cls(request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()
                if v is not None or k in ("reply_by", "already", "sent_on", "delivered_on")}
        if action == "fee":
            data["already"] = data.get("already")  # blank: counted from the ledger
        try:
            service(application=app, actor=request.user, **data)
        except Invalid as exc:
            place_on_form(form, exc)
        else:
            messages.success(request, done)
            return redirect("applications:detail", pk=app.pk)
    app = application_get(user=request.user, pk=pk)
    return render(request, "applications/detail.html", _case_context(request, app, {action: form}), status=422)


@login_required
def deadline_policy_view(request: HttpRequest, body_id: int) -> HttpResponse:
    """期限设置: a body's 管理员 chooses the rest-day rule and whether other pauses may be recorded."""
    from ..bodies.permissions import require

    body = body_get(user=request.user, pk=body_id)
    require(user=request.user, action="manage", body=body)
    policy = DeadlinePolicy.objects.filter(body=body).first()
    initial = {"rest_day_next_working_day": policy.rest_day_next_working_day if policy else True,
               "allow_other_pauses": policy.allow_other_pauses if policy else False}
    form = forms.DeadlinePolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.deadline_policy_save(body=body, actor=request.user, **form.cleaned_data)
        messages.success(request, "期限设置已保存；本机关办理中申请的答复期限已按新设置重新计算")
        return redirect("applications:deadline-policy", body_id=body.pk)
    return render(request, "applications/deadline_policy.html", {"form": form, "body": body})


@login_required
def application_files(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    """A file the applicant gave (身份证明, 补正材料): staff of the body only."""
    from urllib.parse import quote

    app = application_get(user=request.user, pk=pk)
    f = app.files.filter(pk=file_id).first()
    if f is None:
        raise NotFound("未找到该文件")
    with f.file.open("rb") as fh:
        content = fh.read()
    resp = HttpResponse(content, content_type=f.content_type)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f.name)}"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


@login_required
def application_history(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_get(user=request.user, pk=pk)
    return render(request, "applications/history.html", {"app": app, "rows": present(list(audit_for(subject=app)))})


@login_required
def ledger_view(request: HttpRequest) -> HttpResponse:
    bodies = list(visible_bodies(user=request.user))
    if not bodies:
        raise NotFound("您没有可查看的机关")
    body = body_get(user=request.user, pk=_int(request.GET.get("body")) or bodies[0].pk)
    year = year_param(request.GET.get("year"), default=timezone.localdate().year)
    if not 2000 <= year <= 2100:
        raise Invalid("年度无效")
    subordinates = request.GET.get("sub") == "1"
    cells = ledger_cells(body=body, year=year, include_subordinates=subordinates)
    findings = _check(body, year, cells)
    from ...formats import get_format

    fmt = get_format("2021")
    groups3 = dict(fmt.s3.column_groups)
    top4, sub4 = _header_rows(fmt.s4.column_groups)
    return render(request, "applications/ledger.html", {
        "body": body, "bodies": bodies, "year": year, "sub": subordinates, "rows": ledger_rows(cells),
        "columns": fmt.s3.columns, "s4_columns": fmt.s4.columns,
        "s4_values": [cells.get(f"s4.{c.key}") for c in fmt.s4.columns],
        # every printed label comes from gongkai.formats
        "s3_heading": fmt.sections[2].heading, "s4_heading": fmt.sections[3].heading, "s3_note": fmt.s3.note,
        "s3_header": next(label for label, keys in groups3.items() if "natural" in keys),
        "s3_group": next(label for label, keys in groups3.items() if "natural" not in keys),
        "s4_top": top4, "s4_sub": sub4,
        "findings": findings, "years": range(timezone.localdate().year, 2018, -1)})


def _header_rows(groups: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Two header rows from nested column groups: the outer groups, then each one's inner groups (or a blank)."""
    def inside(keys: tuple[str, ...]) -> bool:
        return any(set(keys) < set(other) for _, other in groups)

    top = [(label, keys) for label, keys in groups if not inside(keys)]
    sub: list[tuple[str, int]] = []
    for _, keys in top:
        inner = [(label, len(k)) for label, k in groups if inside(k) and set(k) < set(keys)]
        sub.extend(inner or [("", len(keys))])
    return [(label, len(keys)) for label, keys in top], sub


def _check(body: Any, year: int, cells: dict[str, int]) -> list[Any]:
    try:
        from ...checks import run_checks
    except ImportError:  # the checks package is not there yet
        return []
    from .selectors import ledger_report

    try:
        report = ledger_report(body=body, year=year)
        previous = ledger_report(body=body, year=year - 1)
        return [f for f in run_checks(report, previous=previous) if f.level == "error" or f.id.startswith(("I", "X1"))]
    except Exception:  # noqa: BLE001 - the page shows the table even if a check fails to run
        return []


__all__ = ["dt"]
