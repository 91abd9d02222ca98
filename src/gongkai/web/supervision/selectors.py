"""Reads of the supervision, always through the permissions (an invisible object is a 404)."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet

from ...checks import LEVEL_NAMES, run_checks
from ...checks import rollup as add_up
from ...errors import GongkaiError
from ...report import Report
from ..core.errors import NotFound
from .models import WAITING, Batch, Duban, Finding, FindingState, Submission, SubmissionState
from .permissions import dubans_condition, offices_for

ROLLUP_CHECKS = ("I1", "I3", "I4", "I5", "I6", "S1")  # the tables' identities hold for a sum too


def batches_visible(*, user: Any) -> QuerySet[Batch]:
    return Batch.objects.filter(office__in=offices_for(user=user)).select_related("office", "created_by")


def batch_get(*, user: Any, pk: int) -> Batch:
    batch = batches_visible(user=user).filter(pk=pk).first()
    if batch is None:
        raise NotFound("未找到该督查批次")
    return batch


def submission_get(*, user: Any, pk: int) -> Submission:
    sub = (Submission.objects.filter(pk=pk, batch__office__in=offices_for(user=user))
           .select_related("batch", "batch__office", "body").first())
    if sub is None:
        raise NotFound("未找到该报告")
    return sub


def finding_get(*, user: Any, pk: int) -> Finding:
    f = (Finding.objects.filter(pk=pk, submission__batch__office__in=offices_for(user=user))
         .select_related("submission", "submission__batch", "submission__body").first())
    if f is None:
        raise NotFound("未找到该问题")
    return f


def dubans_visible(*, user: Any) -> QuerySet[Duban]:
    return (Duban.objects.filter(dubans_condition(user=user))
            .select_related("body", "finding", "finding__submission", "finding__submission__batch__office"))


def duban_get(*, user: Any, pk: int) -> Duban:
    d = dubans_visible(user=user).filter(pk=pk).first()
    if d is None:
        raise NotFound("未找到该督办事项")
    return d


def batch_progress(batch: Batch) -> dict[str, Any]:
    """How far the reading of a batch is: reports in all, read, and those still waiting (待读取/读取中)."""
    waiting = list(batch.submissions.filter(state__in=WAITING).only("pk", "source", "state", "claimed_at"))
    counts = dict(batch.submissions.values_list("state").annotate(n=Count("pk")).order_by())
    total = sum(counts.values())
    return {"total": total, "read": total - len(waiting), "waiting": waiting, "done": not waiting,
            "percent": round(100 * (total - len(waiting)) / total) if total else 100,
            "checked": counts.get(SubmissionState.CHECKED, 0), "unmatched": counts.get(SubmissionState.UNMATCHED, 0),
            "failed": counts.get(SubmissionState.FAILED, 0)}


def batch_rows(batch: Batch) -> dict[str, Any]:
    """The batch's reports by body, with counts of findings by level and state; the unmatched and the failed."""
    subs = list(batch.submissions.select_related("body").annotate(
        errors=Count("findings", filter=Q(findings__level="error")),
        warnings=Count("findings", filter=Q(findings__level="warning")),
        open=Count("findings", filter=Q(findings__state=FindingState.OPEN)),
        confirmed=Count("findings", filter=Q(findings__state=FindingState.CONFIRMED))))
    by_body: dict[Any, list[Submission]] = defaultdict(list)
    for s in subs:
        if s.state == SubmissionState.CHECKED:
            by_body[s.body].append(s)
    return {"bodies": sorted(by_body.items(), key=lambda kv: kv[0].path),
            "unmatched": [s for s in subs if s.state == SubmissionState.UNMATCHED],
            "failed": [s for s in subs if s.state == SubmissionState.FAILED], "count": len(subs)}


def year_submissions(*, office: Any, year: int) -> QuerySet[Submission]:
    """The office's checked reports of ``year``: the latest one per body (a later batch replaces an earlier one)."""
    subs = (Submission.objects.filter(batch__office=office, year=year, state=SubmissionState.CHECKED)
            .select_related("body", "batch").order_by("body__path", "-pk"))
    latest: dict[int, int] = {}
    for s in subs:
        latest.setdefault(s.body_id, s.pk)
    return subs.filter(pk__in=latest.values())


def rollup_of(submissions: list[Submission], *, office: Any, year: int) -> dict[str, Any]:
    """Sections 三/四 of the reports added up, with the checks of the sum (identities must hold for it too)."""
    reports = [Report.from_json(s.data) for s in submissions if s.data]
    if len(reports) < 2:
        return {"report": None, "findings": [], "error": "", "count": len(reports)}
    try:
        total = add_up(reports, agency=f"{office.name}所属机关（汇总）", year=year)
    except GongkaiError as exc:
        return {"report": None, "findings": [], "error": exc.message, "count": len(reports)}
    found = [{"id": f.id, "level": str(f.level), "level_name": LEVEL_NAMES[f.level], "message": f.message}
             for f in run_checks(total, only=ROLLUP_CHECKS) if f.level != "info"]
    return {"report": total, "findings": found, "error": "", "count": len(reports)}
