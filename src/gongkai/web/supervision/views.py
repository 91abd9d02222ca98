"""Pages of the supervising office (督查) and of the bodies answering its 督办."""
from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRefresh

from ...compare import compare
from ...compare import render as render_comparison
from ...report import Report
from ...write import render as render_doc
from ..bodies.models import Body
from ..core.csp import styled_fragment
from ..core.errors import Forbidden, Invalid, NotFound, TooLarge, WebError
from ..core.params import int_param, year_param
from . import exports, queue, services
from .models import WAITING, DubanState, FindingState, SubmissionState
from .permissions import answering_bodies, offices_for, subordinates
from .reading import MAX_BATCH
from .selectors import (
    batch_get,
    batch_progress,
    batch_rows,
    batches_visible,
    duban_get,
    dubans_visible,
    finding_get,
    rollup_of,
    submission_get,
    year_submissions,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    offices = list(offices_for(user=request.user).order_by("path"))
    if not offices:
        raise Forbidden("只有督查人员可以使用年报督查")
    year = year_param(request.GET.get("year"), default=timezone.localdate().year - 1)
    reading = set(batches_visible(user=request.user).filter(year=year, submissions__state__in=WAITING)
                  .values_list("office_id", flat=True))
    return render(request, "supervision/list.html", {"reading": reading,
        "batches": batches_visible(user=request.user).annotate(
            n=Count("submissions"), waiting=Count("submissions", filter=Q(submissions__state__in=WAITING)))[:200],
        "offices": offices, "year": year,
        "max_mb": MAX_BATCH // 1024 // 1024, "years": range(timezone.localdate().year, 2018, -1)})


@login_required
def batch_upload(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("supervision:list")
    office = offices_for(user=request.user).filter(pk=int_param(request.POST.get("office"), label="机关", default=0)).first()
    if office is None:
        raise NotFound("未找到该督查机关")
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BATCH + 1024 * 1024:
        raise TooLarge(f"上传内容过大：一次不能超过 {MAX_BATCH // 1024 // 1024} MB")
    year = year_param(request.POST.get("year"), default=0)
    files = [(f.name, f.read()) for f in request.FILES.getlist("files")]
    urls = request.POST.get("urls", "").splitlines()
    try:
        batch = services.batch_create(office=office, year=year, actor=request.user, files=files, urls=urls,
                                      title=request.POST.get("title", ""))
    except Invalid as exc:
        messages.error(request, exc.message)
        return redirect("supervision:list")
    messages.success(request, f"已接收 {batch.submissions.count()} 份报告，正在逐份读取和检查，本页会自动更新")
    return redirect("supervision:batch", pk=batch.pk)


@styled_fragment
@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = batch_get(user=request.user, pk=pk)
    progress = batch_progress(batch)
    if not progress["done"]:  # the progress only; the review once all is read
        queue.kick()  # a restarted server's reports waiting (no-op when the thread runs or is turned off)
        return render(request, "supervision/batch.html", {"batch": batch, "progress": progress})
    rows = batch_rows(batch)
    subs = [s for _, group in rows["bodies"] for s in group]
    total = rollup_of(subs, office=batch.office, year=batch.year)
    total_html = render_doc(total["report"], "html", findings=[], fragment=True).decode() if total["report"] else ""
    return render(request, "supervision/batch.html", {
        "batch": batch, "rows": rows, "rollup": total, "rollup_html": total_html, "progress": progress,
        "candidates": subordinates(batch.office).order_by("path")})


@login_required
def batch_progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress box the batch page polls (htmx, every few seconds); once all is read, a full reload."""
    batch = batch_get(user=request.user, pk=pk)
    progress = batch_progress(batch)
    if progress["done"] and request.htmx:
        return HttpResponseClientRefresh()
    if not progress["done"]:
        queue.kick()
    return render(request, "supervision/_progress.html", {"batch": batch, "progress": progress})


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sub = submission_get(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            body = subordinates(sub.batch.office).filter(pk=int_param(request.POST.get("body"), label="机关", default=0)).first()
            if body is None:
                raise Invalid("请选择所属机关")
            year = year_param(request.POST.get("year"), default=sub.batch.year)
            services.submission_assign(submission=sub, body=body, actor=request.user, year=year)
            messages.success(request, f"已指定为{body.name}的报告并完成检查")
        except WebError as exc:
            messages.error(request, exc.message)
        return redirect("supervision:report", pk=sub.pk)
    findings = list(sub.findings.select_related("decided_by", "duban"))
    for f in findings:
        f.duban_obj = getattr(f, "duban", None)  # the reverse one-to-one raises (an AttributeError) when absent
    return render(request, "supervision/report.html", {
        "sub": sub, "findings": findings, "states": FindingState,
        "default_due": timezone.localdate() + dt.timedelta(days=15),
        "candidates": subordinates(sub.batch.office).order_by("path"), "unmatched": sub.state == SubmissionState.UNMATCHED})


@login_required
def submission_compare(request: HttpRequest, pk: int) -> HttpResponse:
    sub = submission_get(user=request.user, pk=pk)
    if not sub.previous_data or not sub.data:
        raise NotFound("该报告没有可对比的上年度报告")
    cmp = compare(Report.from_json(sub.previous_data), Report.from_json(sub.data))
    return HttpResponse(render_comparison(cmp, "html"), content_type="text/html; charset=utf-8")


@login_required
def finding_act(request: HttpRequest, pk: int) -> HttpResponse:
    f = finding_get(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect("supervision:report", pk=f.submission_id)
    action = request.POST.get("action", "")
    try:
        if action in ("confirm", "dismiss"):
            services.finding_decide(finding=f, actor=request.user, decision=action,
                                    reason=request.POST.get("reason", "")[:1000])
            messages.success(request, "已确认该问题" if action == "confirm" else "已不予采纳")
        elif action == "send":
            try:
                due = dt.date.fromisoformat(request.POST.get("due", "").strip())
            except ValueError:
                raise Invalid("办理期限的日期格式应为 YYYY-MM-DD") from None
            services.duban_send(finding=f, actor=request.user, due=due, request=request.POST.get("request", "")[:2000])
            messages.success(request, f"已向{f.submission.body.name}发出督办")
        else:
            raise Invalid("未知的操作")
    except WebError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("supervision:report", args=[f.submission_id]) + f"#f{f.pk}")


@login_required
def duban_list(request: HttpRequest) -> HttpResponse:
    items = list(dubans_visible(user=request.user).order_by("state", "due", "pk")[:500])
    mine = set(answering_bodies(user=request.user).values_list("pk", flat=True))
    return render(request, "supervision/duban_list.html", {"items": items, "mine": mine,
                                                           "today": timezone.localdate()})


@login_required
def duban_detail(request: HttpRequest, pk: int) -> HttpResponse:
    d = duban_get(user=request.user, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "answer":
                services.duban_answer(duban=d, actor=request.user, answer=request.POST.get("answer", "")[:5000])
                messages.success(request, "已答复")
            elif action in ("close", "reopen"):
                services.duban_close(duban=d, actor=request.user, note=request.POST.get("note", "")[:2000],
                                     reopen=action == "reopen")
                messages.success(request, "已办结" if action == "close" else "已退回重新办理")
            else:
                raise Invalid("未知的操作")
        except WebError as exc:
            messages.error(request, exc.message)
        return redirect("supervision:duban", pk=d.pk)
    office = d.finding.submission.batch.office
    return render(request, "supervision/duban.html", {
        "d": d, "can_answer": d.state == DubanState.SENT and answering_bodies(user=request.user).filter(
            pk=d.body_id).exists(),
        "can_close": d.state == DubanState.ANSWERED and offices_for(user=request.user).filter(pk=office.pk).exists(),
        "is_office": offices_for(user=request.user).filter(pk=office.pk).exists()})


@login_required
def review_export(request: HttpRequest, office_id: int, year: int, fmt: str) -> HttpResponse:
    office: Body | None = offices_for(user=request.user).filter(pk=office_id).first()
    if office is None or fmt not in ("xlsx", "docx"):
        raise NotFound("未找到该督查机关")
    subs = list(year_submissions(office=office, year=year))
    if fmt == "xlsx":
        content, ctype = exports.review_xlsx(office=office, year=year, submissions=subs), XLSX
        name = f"{office.name}{year}年度报告督查问题清单.xlsx"
    else:
        content, ctype = exports.review_docx(office=office, year=year, submissions=subs), DOCX
        name = f"{office.name}{year}年度报告督查情况通报.docx"
    resp = HttpResponse(content, content_type=ctype)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return resp
