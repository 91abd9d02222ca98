"""``/api/reports/``: annual reports visible to the user, their findings, and the published ones (public)."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from ..portal.selectors import body_public
from .selectors import deadline_of, findings_of, report_get, reports_published, reports_visible_to, sign_event_of

router = Router(tags=["年度报告"])


class ReportOut(Schema):
    id: int
    body_id: int
    year: int
    state: str
    published_at: dt.datetime | None


class FindingOut(Schema):
    id: str
    level: str
    message: str
    cells: list[str]


@router.get("/", response=list[ReportOut], summary="我可见的年度报告")
def list_reports(request: HttpRequest, year: int | None = None) -> list:
    qs = reports_visible_to(user=request.user)
    return list(qs.filter(year=year) if year else qs[:500])


@router.get("/{report_id}", summary="年度报告（gongkai Report JSON）、检查结果、发布期限与负责人签发")
def get_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    rep = report_get(user=request.user, pk=report_id)
    dl = deadline_of(body=rep.body, year=rep.year, override=rep.deadline)
    signed = sign_event_of(rep)
    return {"id": rep.pk, "state": rep.state, "report": json.loads(rep.data),
            "signed_by": (signed.actor.get_full_name() or signed.actor.get_username())
            if signed is not None and signed.actor is not None else None,
            "signed_at": signed.at.isoformat() if signed is not None else None,
            "findings": [FindingOut(id=f.id, level=f.level, message=f.message, cells=list(f.cells)).dict()
                         for f in findings_of(rep)],
            "deadline": dl.due.isoformat() if dl.due else None, "deadline_basis": dl.basis}


@router.get("/public/{body_id}", response=list[ReportOut], auth=None, summary="某机关已发布的年度报告（公众）")
def public_reports(request: HttpRequest, body_id: int) -> list:
    return list(reports_published(body=body_public(body_id)))
