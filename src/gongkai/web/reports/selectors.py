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


def findings_of(rep: AnnualReport, report: Report | None = None) -> list[Finding]:
    """The findings of ``rep`` (or of ``report``, its texts as typed): with last year's report, and W10 against
    the channel log of the year."""
    return run_checks(report or rep.report, previous=previous_report_of(body=rep.body, year=rep.year),
                      options=CheckOptions(), outreach=outreach_of(body=rep.body, year=rep.year))


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


def deadline_of(*, body: Body, year: int, override: dt.date | None = None, today: dt.date | None = None) -> Deadline:
    if override is not None:
        due, basis = override, "本地规定"
    else:
        due, basis = report_deadline(year, BodyKind(body.kind) if body.kind else None,
                                     Level(body.level) if body.level else None, CheckOptions().township_deadline)
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
