"""Staff pages of the annual reports: the list with deadlines, the composer, the supervisor's view."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from ...checks import rollup
from ...compose import placeholders
from ...write import render as render_doc
from ..bodies.permissions import bodies_for, can, visible_bodies
from ..core.csp import styled_fragment
from ..core.errors import Invalid, NotFound, WebError
from ..core.params import int_param, year_param
from ..core.review import refusal
from . import services
from .models import AnnualReport, ReportState
from .selectors import (
    deadline_of,
    finding_key,
    findings_of,
    published_file,
    repetition_of,
    report_get,
    reports_visible_to,
    sign_event_of,
    submitter_of,
    supervision_rows,
)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year - 1
    reports = list(reports_visible_to(user=request.user).order_by("-year", "body__path")[:300])
    startable = bodies_for(user=request.user, action="register")
    have = {(r.body_id, r.year) for r in reports}
    reminders = []
    for body in startable:
        dl = deadline_of(body=body, year=year)
        rep = next((r for r in reports if r.body_id == body.pk and r.year == year), None)
        if (rep is None or rep.state != ReportState.PUBLISHED) and dl.remind:
            reminders.append({"body": body, "deadline": dl, "report": rep})
    rows = [{"r": r, "deadline": deadline_of(body=r.body, year=r.year, override=r.deadline)} for r in reports]
    return render(request, "reports/list.html", {"rows": rows, "startable": startable, "year": year,
                                                 "reminders": reminders, "have": have})


@login_required
def report_start(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("reports:list")
    body = bodies_for(user=request.user, action="register").filter(
        pk=int_param(request.POST.get("body"), label="机关", default=0)).first()
    if body is None:
        raise NotFound("未找到该机关")
    try:
        year = int(request.POST.get("year", ""))
        rep = services.report_start(body=body, year=year, actor=request.user)
    except ValueError:
        messages.error(request, "年度无效")
        return redirect("reports:list")
    except WebError as exc:
        messages.error(request, exc.message)
        return redirect("reports:list")
    return redirect("reports:compose", pk=rep.pk)


def _context(request: HttpRequest, rep: AnnualReport) -> dict:
    data = rep.report
    found = findings_of(rep, data)
    acknowledged = set(rep.acknowledged)
    rows = [{"f": f, "key": finding_key(f), "ack": finding_key(f) in acknowledged} for f in found]
    texts = {s.number: s for s in data.sections}
    submitter = submitter_of(rep) if rep.state == ReportState.PENDING else None
    user = request.user
    can_review = can(user=user, action="review", body=rep.body)
    can_sign = can(user=user, action="sign", body=rep.body)
    approve_refusal = (refusal(user=user, subject=rep, rule=services.REVIEW_RULE, act="审核通过")
                       if rep.state == ReportState.PENDING and can_review else None)
    sign_refusal = (refusal(user=user, subject=rep, rule=services.SIGN_RULE, act="签发")
                    if rep.state == ReportState.REVIEWED and can_sign else None)
    return {
        "rep": rep, "data": data, "findings": rows, "repetition": repetition_of(found),
        "errors": sum(1 for f in found if f.level == "error"),
        "warnings_open": sum(1 for r in rows if r["f"].level == "warning" and not r["ack"]),
        "placeholders": [p for n in (1, 5, 6) if n in texts for p in placeholders(texts[n].text)],
        "sections": [texts.get(n) for n in (1, 5, 6)],
        "deadline": deadline_of(body=rep.body, year=rep.year, override=rep.deadline),
        "blockers": services.blockers(rep, findings=found),
        "can_edit": rep.state == ReportState.DRAFT and can(user=request.user, action="register", body=rep.body),
        "can_review": can_review, "can_sign": can_sign,
        "submitter": submitter, "approve_refusal": approve_refusal, "sign_refusal": sign_refusal,
        "signed": sign_event_of(rep), "year_not_ended": services.year_not_ended(rep.year),
        "can_manage": can(user=request.user, action="manage", body=rep.body),
        "events": rep.events.select_related("actor"), "states": ReportState.choices,
        "outreach": _outreach_panel(rep),
    }


def _outreach_panel(rep: AnnualReport) -> dict | None:
    """Section 一's figures from the channel log beside the catalog's count, each linking to its entries, and
    the sentences the composer writes from them (None without the channels app)."""
    from ...outreach import sentences
    from .selectors import outreach_of

    facts = outreach_of(body=rep.body, year=rep.year)
    if facts is None:
        return None
    from ..catalog.selectors import catalog_year_facts
    from ..channels.selectors import figures_list

    overview, platforms = sentences(facts)
    return {"figures": [f for f in figures_list(facts) if f.value or not f.key.startswith(("level:", "topic:"))],
            "catalog_published": catalog_year_facts(body=rep.body, year=rep.year)["published"],
            "overview": overview, "platforms": platforms, "empty": facts.empty}


@styled_fragment
@login_required
def report_compose(request: HttpRequest, pk: int) -> HttpResponse:
    rep = report_get(user=request.user, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            _act(request, rep, action)
        except WebError as exc:
            messages.error(request, exc.message)
        return redirect("reports:compose", pk=rep.pk)
    ctx = _context(request, rep)
    ctx["tables_html"] = render_doc(ctx["data"], "html", findings=[], fragment=True).decode()
    return render(request, "reports/compose.html", ctx)


def _texts(request: HttpRequest) -> dict[int, str]:
    return {n: request.POST[f"s{n}"] for n in (1, 5, 6) if f"s{n}" in request.POST}


def _act(request: HttpRequest, rep: AnnualReport, action: str) -> None:
    user = request.user
    if action in ("save", "submit"):
        texts = _texts(request)
        if texts:
            rep = services.report_save_texts(report=rep, actor=user, texts=texts)
        if "ack" in request.POST or action == "save":
            services.report_acknowledge(report=rep, actor=user, keys=request.POST.getlist("ack"))
        if action == "submit":
            services.report_submit(report=rep, actor=user)
            messages.success(request, "已提交审核")
        else:
            messages.success(request, "已保存")
    elif action == "refresh":
        services.report_refresh_tables(report=rep, actor=user)
        messages.success(request, "已按台账和目录重新计算表格")
    elif action == "approve":
        services.report_approve(report=rep, actor=user, note=request.POST.get("note", ""))
        messages.success(request, "审核通过")
    elif action == "sign":
        services.report_sign(report=rep, actor=user, note=request.POST.get("note", "")[:500])
        messages.success(request, "已签发，可以发布")
    elif action == "return":
        services.report_return(report=rep, actor=user, reason=request.POST.get("reason", ""))
        messages.success(request, "已退回修改")
    elif action == "deadline":
        raw = request.POST.get("deadline", "").strip()
        try:
            when = dt.date.fromisoformat(raw) if raw else None
        except ValueError:
            raise Invalid("日期格式应为 YYYY-MM-DD") from None
        services.report_set_deadline(report=rep, actor=user, deadline=when)
        messages.success(request, "已设置发布期限")
    elif action == "publish":
        services.report_publish(report=rep, actor=user)
        messages.success(request, "已发布到政府信息公开专栏")
    else:
        raise Invalid("未知的操作")


@login_required
def report_check(request: HttpRequest, pk: int) -> HttpResponse:
    """The live check panel (htmx): findings of the report with the texts as typed, nothing saved."""
    rep = report_get(user=request.user, pk=pk)
    data = rep.report
    texts = _texts(request)
    if texts:
        by = {s.number: s for s in data.sections}
        sections = tuple(s.model_copy(update={"text": texts[s.number]}) if s.number in texts else s
                         for s in by.values())
        data = data.model_copy(update={"sections": sections})
    found = findings_of(rep, data)
    acknowledged = set(rep.acknowledged)
    rows = [{"f": f, "key": finding_key(f), "ack": finding_key(f) in acknowledged} for f in found]
    left = [p for s in data.sections for p in placeholders(s.text)]
    return render(request, "reports/_findings.html", {
        "findings": rows, "repetition": repetition_of(found), "placeholders": left, "rep": rep,
        "errors": sum(1 for f in found if f.level == "error"),
        "can_edit": rep.state == ReportState.DRAFT})


@login_required
def report_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    rep = report_get(user=request.user, pk=pk)
    if kind not in ("html", "docx", "pdf"):
        raise NotFound()
    f = published_file(body=rep.body, year=rep.year, kind=kind)
    content = bytes(f.content) if f else render_doc(rep.report, kind)
    return _file_response(content, kind, f"{rep.body.name}{rep.year}年政府信息公开工作年度报告.{kind}")


CONTENT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def _file_response(content: bytes, kind: str, filename: str) -> HttpResponse:
    from urllib.parse import quote

    resp = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    disposition = "inline" if kind in ("html", "pdf") else "attachment"
    resp["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    return resp


@styled_fragment
@login_required
def supervise(request: HttpRequest) -> HttpResponse:
    year = year_param(request.GET.get("year"), default=timezone.localdate().year - 1)
    rows = supervision_rows(user=request.user, year=year)
    reports = [r["report"].report for r in rows if r["report"] is not None]
    total = None
    if len(reports) > 1:
        root = visible_bodies(user=request.user).order_by("path").first()
        total = rollup(reports, agency=f"{root.name}及所属机关（汇总）" if root else None, year=year)
    total_html = render_doc(total, "html", findings=[], fragment=True).decode() if total else ""
    return render(request, "reports/supervise.html", {"rows": rows, "year": year, "rollup_html": total_html,
                                                      "count": len(reports)})
