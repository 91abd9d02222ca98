"""Reads of the annual reports: what a user sees, the published ones, deadlines, findings, supervisors' views."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ...checks import CheckOptions, Finding, run_checks
from ...checks.warnings import report_deadline
from ...formats import BodyKind, Level
from ...outreach import OutreachFacts
from ...report import Report
from ..bodies.models import Body
from ..bodies.permissions import visible_bodies
from ..core.errors import NotFound
from .models import AnnualReport, ReportFile, ReportState

REMIND_DAYS = 30


def reports_visible_to(*, user: Any) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(body__in=visible_bodies(user=user)).select_related("body")


def report_get(*, user: Any, pk: int) -> AnnualReport:
    rep = reports_visible_to(user=user).filter(pk=pk).first()
    if rep is None:
        raise NotFound("未找到该报告")
    return rep


def submitter_of(rep: AnnualReport) -> Any:
    """The user who last submitted ``rep`` for review (from its events), or ``None`` (never submitted, or the
    user was deleted). Four-eyes review: this user may not approve it."""
    event = rep.events.filter(action="submit").select_related("actor").order_by("-pk").first()
    return event.actor if event is not None else None


def sign_event_of(rep: AnnualReport) -> Any:
    """The ``sign`` event of a signed or published report (who and when, for the page), or ``None``."""
    if rep.state not in (ReportState.SIGNED, ReportState.PUBLISHED):
        return None
    return rep.events.filter(action="sign").select_related("actor").order_by("-pk").first()


def signer_of(rep: AnnualReport) -> Any:
    """The 负责人 who signed ``rep`` off (the last ``sign`` event) while it is signed or published, else ``None``."""
    event = sign_event_of(rep)
    return event.actor if event is not None else None


def fee_facts(*, body: Body, year: int) -> Any:
    """The 信息处理费 of ``year`` from the ledger (section 六): notices sent in the year and the amount paid in it."""
    from django.apps import apps
    from django.db.models import Count, Sum

    from ...compose import FeeFacts

    if not apps.is_installed("gongkai.web.applications"):
        return None
    from ..applications.models import Fee

    fees = Fee.objects.filter(application__body=body)
    notices = fees.filter(noticed_on__year=year).aggregate(n=Count("pk"))["n"]
    paid = fees.filter(paid_on__year=year).aggregate(total=Sum("amount"))["total"]
    return FeeFacts(amount_yuan=paid or 0, notices=notices or 0)


def reports_published(*, body: Body | None = None) -> QuerySet[AnnualReport]:
    qs = AnnualReport.objects.filter(state=ReportState.PUBLISHED).select_related("body")
    return qs.filter(body=body) if body is not None else qs


def published_file(*, body: Body, year: int, kind: str) -> ReportFile | None:
    return ReportFile.objects.filter(report__body=body, report__year=year, report__state=ReportState.PUBLISHED,
                                     kind=kind).first()


def previous_report_of(*, body: Body, year: int) -> Report | None:
    prev = AnnualReport.objects.filter(body=body, year=year - 1, state=ReportState.PUBLISHED).first()
    return prev.report if prev else None


def finding_key(f: Finding) -> str:
    return f"{f.id}|{f.scope or ''}|{','.join(f.cells)}|{f.message[:40]}"


def outreach_of(*, body: Body, year: int) -> OutreachFacts | None:
    """The body's channel log for the year (meetings, media, 公告栏 …), or ``None`` without the channels app."""
    from django.apps import apps

    if not apps.is_installed("gongkai.web.channels"):
        return None
    from ..channels.selectors import outreach_facts

    return outreach_facts(body=body, year=year)


def check_options_for(rep: AnnualReport) -> CheckOptions:
    """The check settings of ``rep``'s body: its 乡镇/街道 deadline (W9) as the local rule sets it."""
    dl = deadline_of(body=rep.body, year=rep.year, override=rep.deadline)
    township = (dl.due.month, dl.due.day) if dl.due else None
    return CheckOptions(township_deadline=township)


def findings_of(rep: AnnualReport, report: Report | None = None) -> list[Finding]:
    """The findings of ``rep`` (or of ``report``, its texts as typed): with last year's report, and W10 against
    the channel log of the year."""
    return run_checks(report or rep.report, previous=previous_report_of(body=rep.body, year=rep.year),
                      options=check_options_for(rep), outreach=outreach_of(body=rep.body, year=rep.year))


def repetition_of(findings: list[Finding]) -> float | None:
    for f in findings:
        if f.id == "X4" and f.scope:
            try:
                return float(f.scope)
            except ValueError:
                return None
    return None


@dataclass(frozen=True)
class Deadline:
    due: dt.date | None
    basis: str
    days_left: int | None

    @property
    def remind(self) -> bool:
        return self.days_left is not None and self.days_left <= REMIND_DAYS

    @property
    def late(self) -> bool:
        return self.days_left is not None and self.days_left < 0


def township_rule(body: Body) -> tuple[tuple[int, int], str] | None:
    """The local rule for a 乡镇/街道's report deadline (第四十九条 leaves it to local rules): set on the body
    itself or on the nearest body above it, else the site setting; ``((month, day), basis)`` or ``None``."""
    from django.conf import settings

    from ..bodies.services import month_day

    ids = [int(x) for x in (body.path or "").strip("/").split("/") if x.isdigit()]
    found = {b.pk: b for b in Body.objects.filter(pk__in=ids).exclude(township_report_deadline="")} if ids else {}
    if not ids and body.township_report_deadline:
        found = {body.pk or 0: body}
        ids = [body.pk or 0]
    for pk in reversed(ids):  # nearest first
        setter = found.get(pk)
        if setter is not None and (md := month_day(setter.township_report_deadline)):
            who = "" if setter.pk == body.pk else f"（{setter.name}设定）"
            return md, f"地方规定{who}：{setter.township_report_deadline_basis}"
    md = month_day(settings.GONGKAI_TOWNSHIP_REPORT_DEADLINE)
    if md:
        basis = settings.GONGKAI_TOWNSHIP_REPORT_DEADLINE_BASIS or "系统设置（未写明依据）"
        return md, f"地方规定：{basis}"
    return None


def deadline_of(*, body: Body, year: int, override: dt.date | None = None, today: dt.date | None = None) -> Deadline:
    """The publication deadline of ``body``'s report for ``year`` (第四十九条): 县级以上人民政府部门 1月31日,
    县级以上地方人民政府 3月31日, 乡镇/街道 by the local rule (``township_rule``), with its basis; ``override`` is a
    deadline set on the report itself."""
    level = Level(body.level) if body.level else None
    if override is not None:
        due, basis = override, "本报告单独设置的期限"
    elif level is Level.TOWNSHIP:
        rule = township_rule(body)
        if rule is None:
            due, basis = None, "乡镇（街道）的年报期限由地方规定，尚未设置：请管理员在机关设置中填写期限及其依据"
        else:
            due, basis = dt.date(year + 1, *rule[0]), rule[1]
    else:
        due, basis = report_deadline(year, BodyKind(body.kind) if body.kind else None, level, None)
    left = (due - (today or timezone.localdate())).days if due else None
    return Deadline(due=due, basis=basis, days_left=left)


def supervision_rows(*, user: Any, year: int) -> list[dict[str, Any]]:
    """Every visible body with its report state and finding counts for ``year`` (the supervisor's view)."""
    reports = {r.body_id: r for r in reports_visible_to(user=user).filter(year=year)}
    rows = []
    for body in visible_bodies(user=user).order_by("path"):
        rep = reports.get(body.pk)
        found = findings_of(rep) if rep else []
        rows.append({"body": body, "report": rep, "deadline": deadline_of(body=body, year=year,
                                                                          override=rep.deadline if rep else None),
                     "errors": sum(1 for f in found if f.level == "error"),
                     "warnings": sum(1 for f in found if f.level == "warning")})
    return rows


@dataclass
class ReportHit:
    report: AnnualReport
    title: str
    text: str  # the part of the report the snippet is cut from


def reports_search(*, terms: list[str], body_id: int | None = None, year: int | None = None,
                   limit: int = 10) -> list[ReportHit]:
    """Published annual reports whose title or text holds every term, newest first.

    The database narrows the candidates (the stored report holds its texts verbatim); each is then confirmed on
    its title, preamble and section texts, so a term that only occurs in a field name or a number never matches."""
    if not terms:
        return []
    qs = reports_published()
    if body_id:
        qs = qs.filter(body_id=body_id)
    if year:
        qs = qs.filter(year=year)
    for t in terms:
        qs = qs.filter(data__icontains=t)
    out: list[ReportHit] = []
    for rep in qs.order_by("-year", "-pk")[:limit * 5]:
        data = rep.report
        title = f"{rep.body.name}{rep.year}年政府信息公开工作年度报告"
        parts = [title, data.preamble or "", *(f"{s.heading} {s.text}" for s in data.sections)]
        whole = "\n".join(parts).lower()
        if all(t.lower() in whole for t in terms):
            text = next((p for p in parts[1:] if any(t.lower() in p.lower() for t in terms)), data.preamble or "")
            out.append(ReportHit(report=rep, title=title, text=text))
            if len(out) >= limit:
                break
    return out
