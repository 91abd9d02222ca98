"""Writes of the supervision: a batch uploaded and checked, findings decided, the 督办 loop — each audited."""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from ...checks import Finding as CheckFinding
from ...checks import run_checks
from ...checks._describe import describe
from ...corpus.bodies import assign, name_key
from ...report import Report
from ..audit.services import audit_record, snapshot
from ..bodies.models import Body
from ..core.db import atomic_retry
from ..core.errors import Conflict, Forbidden, Invalid, NotFound
from ..reports.models import AnnualReport, ReportState
from .models import WAITING, Batch, Duban, DubanState, Finding, FindingState, Submission, SubmissionState, Upload
from .permissions import answering_bodies, offices_for, require_office, subordinates
from .reading import Read, UploadRefused, unpack

MAX_URLS = 50


def match_body(printed: str, candidates: Iterable[Body]) -> Body | None:
    """The one subordinate body a report's printed name stands for (全称/简称, 街道办事处/街道, Traditional, a region
    prefix more or less), by the corpus's body recognition; ``None`` when none or more than one fits."""
    if not printed:
        return None
    candidates = list(candidates)
    names = [printed]
    for b in candidates:
        names += [b.name]
    groups = assign(names)
    target = groups[printed].id
    hits = {b.pk: b for b in candidates if groups[b.name].id == target}
    if len(hits) != 1:  # the short name of a body (七政街道) as a last resort, when it is unambiguous
        key = name_key(printed)
        hits = {b.pk: b for b in candidates if key.endswith(name_key(b.short_name)) and len(b.short_name) >= 2} \
            if not hits else hits
    return next(iter(hits.values())) if len(hits) == 1 else None


def previous_of(*, body: Body, year: int, office: Body, exclude_batch: int | None = None) -> tuple[Report | None, str]:
    """The body's report of ``year - 1``: the one in the system (published), else the latest from an earlier batch."""
    rep = AnnualReport.objects.filter(body=body, year=year - 1, state=ReportState.PUBLISHED).first()
    if rep is not None:
        return rep.report, f"系统内已发布的 {year - 1} 年度报告"
    sub = (Submission.objects.filter(body=body, year=year - 1, state=SubmissionState.CHECKED, batch__office=office)
           .exclude(batch_id=exclude_batch).order_by("-pk").first())
    if sub is not None:
        return Report.from_json(sub.data), f"督查批次“{sub.batch}”中的 {year - 1} 年度报告"
    return None, ""


def evidence_of(f: CheckFinding, report: Report | None = None) -> str:
    parts = []
    if f.lhs is not None and f.rhs is not None:
        parts.append(f"{f.lhs.expr} = {f.lhs.value}；{f.rhs.expr} = {f.rhs.value}")
    if f.scope:
        parts.append(f"范围：{f.scope}")
    if f.cells and not parts:
        names = [describe(report.fmt, k) if report is not None else k for k in f.cells[:8]]
        parts.append("单元格：" + "、".join(names) + ("等" if len(f.cells) > 8 else ""))
    return "；".join(parts)


def _check(sub: Submission, report: Report, office: Body) -> None:
    """Compare with the previous year, run the checks, store the findings (errors and warnings)."""
    prev, label = previous_of(body=sub.body, year=sub.year or 0, office=office, exclude_batch=sub.batch_id)
    sub.previous = label
    sub.previous_data = prev.to_json(indent=None) if prev is not None else ""
    sub.state = SubmissionState.CHECKED
    sub.save()
    sub.findings.all().delete()
    Finding.objects.bulk_create([
        Finding(submission=sub, code=f.id, level=str(f.level), message=f.message, evidence=evidence_of(f, report))
        for f in run_checks(report, previous=prev) if str(f.level) in ("error", "warning")])


def gather(*, files: list[tuple[str, bytes]], urls: list[str]) -> list[tuple[str, bytes | None, str]]:
    """(source, bytes, url) for each report of an upload: the files (ZIPs unpacked, within the limits) and the URLs,
    which the worker fetches later; :class:`Invalid` when the upload is refused as a whole."""
    try:
        items: list[tuple[str, bytes | None, str]] = [(n, d, "") for n, d in unpack(files)]
    except UploadRefused as exc:
        raise Invalid(exc.message, details={"files": exc.message}) from exc
    urls = [u.strip() for u in urls if u.strip()]
    if len(urls) > MAX_URLS:
        raise Invalid(f"一次最多读取 {MAX_URLS} 个网址", details={"urls": "网址过多"})
    items += [(url, None, url) for url in urls]
    if not items:
        raise Invalid("请选择要上传的报告文件或压缩包，或填写报告网址", details={"files": "未选择文件"})
    return items


def batch_create(*, office: Body, year: int, actor: Any, files: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
                 urls: list[str] = (), title: str = "") -> Batch:  # type: ignore[assignment]
    """Store an upload as a batch of reports to read (待读取): one quick transaction, audited; the reading, matching,
    comparing and checking are the worker's (``supervision.queue``), started once the upload has committed."""
    require_office(user=actor, office=office)
    if not 2000 <= year <= timezone.localdate().year:
        raise Invalid("报告年度不正确", details={"year": "年度不正确"})
    items = gather(files=list(files), urls=list(urls))
    return _enqueue(office=office, year=year, actor=actor, title=title, items=items)


@atomic_retry
def _enqueue(*, office: Body, year: int, actor: Any, title: str, items: list[tuple[str, bytes | None, str]]) -> Batch:
    from . import queue

    batch = Batch.objects.create(office=office, year=year, title=title.strip()[:100], created_by=actor)
    subs = Submission.objects.bulk_create([
        Submission(batch=batch, source=src[:500], url=url, state=SubmissionState.PENDING,
                   sha256=hashlib.sha256(data).hexdigest() if data is not None else "")
        for src, data, url in items])
    # a few files per statement: one INSERT never carries more than a few reports' bytes
    Upload.objects.bulk_create([Upload(submission=sub, data=data) for sub, (_, data, _) in zip(subs, items, strict=True)
                                if data is not None], batch_size=8)
    audit_record(actor=actor, action="supervision.upload", subject=batch, body=office,
                 after={"year": year, "count": len(items), "urls": sum(1 for *_, url in items if url),
                        "sources": [src for src, *_ in items][:100]})
    transaction.on_commit(queue.kick)
    return batch


@atomic_retry
def submission_store(*, pk: int, worker: str, data: bytes | None, result: Read | None, error: str = "") -> bool:
    """Store what the worker read for one claimed report (as the upload did before the queue): the body matched,
    the previous year compared, the checks' findings; or the reading's error. ``False`` (nothing written) when the
    claim is no longer ``worker``'s (it was taken again after the claim timeout, and the other worker stores it).
    The batch's row is locked first, so that of two workers storing its last reports at once the later one sees
    the other's commit and closes the batch (:func:`_close_if_read`)."""
    batch_id = Submission.objects.filter(pk=pk).values_list("batch_id", flat=True).first()
    if batch_id is None:
        return False
    batch = Batch.objects.select_for_update().select_related("office").get(pk=batch_id)
    sub = (Submission.objects.select_for_update()
           .filter(pk=pk, state=SubmissionState.READING, claimed_by=worker).first())
    if sub is None:
        return False
    office, year = batch.office, batch.year
    if data is not None:
        sub.sha256 = hashlib.sha256(data).hexdigest()
    Upload.objects.filter(submission=sub).delete()  # read: the report is kept as JSON, the bytes are not
    if result is None or result.report is None:
        sub.state, sub.error = SubmissionState.FAILED, error or (result.error if result else "") or "读取失败"
        sub.save()
    else:
        report = result.report
        sub.kind, sub.data = result.kind, report.to_json(indent=None)
        sub.printed_name = (report.metadata.agency or "")[:200]
        sub.year = report.year
        sub.body = match_body(sub.printed_name, subordinates(office))
        if sub.year is not None and sub.year != year:
            sub.error = f"报告年度为 {sub.year} 年，与批次年度 {year} 年不同"
        if sub.body is None or sub.year is None:
            sub.state = SubmissionState.UNMATCHED
            sub.save()
        else:
            _check(sub, report, office)
    _close_if_read(batch)
    return True


def _close_if_read(batch: Batch) -> None:
    """Once no report of the batch is left to read: its completion time and one audit entry with the outcome
    (one entry per batch, not per report: a January upload of 300 reports would otherwise add 300 rows that say
    less than this one; each report's own outcome is on the report)."""
    states = list(batch.submissions.values_list("state", "source", "attempts"))
    if batch.read_at is not None or any(state in WAITING for state, *_ in states):
        return
    batch.read_at = timezone.now()
    batch.save(update_fields=["read_at"])
    counts = Counter(state for state, *_ in states)
    audit_record(actor=None, action="supervision.read", subject=batch, body=batch.office,
                 after={"count": len(states), "checked": counts[SubmissionState.CHECKED],
                        "unmatched": counts[SubmissionState.UNMATCHED], "failed": counts[SubmissionState.FAILED],
                        "failed_sources": [src for state, src, _ in states if state == SubmissionState.FAILED][:100],
                        "retried_sources": [src for _, src, n in states if n > 1][:100],
                        "read_at": batch.read_at})


@transaction.atomic
def submission_assign(*, submission: Submission, body: Body, actor: Any, year: int | None = None) -> Submission:
    """Assign an unmatched report to a subordinate body by hand, then compare and check it."""
    office = submission.batch.office
    require_office(user=actor, office=office)
    if not subordinates(office).filter(pk=body.pk).exists():
        raise NotFound("未找到该所属机关")
    if submission.state != SubmissionState.UNMATCHED or not submission.data:
        raise Conflict("只有待指定机关的报告才能指定机关")
    before = snapshot(submission, ["body", "year", "state"])
    report = Report.from_json(submission.data)
    submission.body = body
    submission.year = year or submission.year or submission.batch.year
    _check(submission, report, office)
    audit_record(actor=actor, action="supervision.match", subject=submission, body=office, before=before,
                 after=snapshot(submission, ["body", "year", "state"]))
    return submission


@transaction.atomic
def finding_decide(*, finding: Finding, actor: Any, decision: str, reason: str = "") -> Finding:
    office = finding.submission.batch.office
    require_office(user=actor, office=office)
    if hasattr(finding, "duban"):
        raise Conflict("该问题已督办，不能再改变核实结论")
    reason = reason.strip()
    if decision == "dismiss" and not reason:
        raise Invalid("不予采纳须说明理由", details={"reason": "请填写理由"})
    if decision not in ("confirm", "dismiss"):
        raise Invalid("核实结论无效")
    before = snapshot(finding, ["state", "reason"])
    finding.state = FindingState.CONFIRMED if decision == "confirm" else FindingState.DISMISSED
    finding.reason, finding.decided_by, finding.decided_at = reason, actor, timezone.now()
    finding.save()
    audit_record(actor=actor, action=f"supervision.{decision}", subject=finding, body=office, before=before,
                 after=snapshot(finding, ["state", "reason"]))
    return finding


@transaction.atomic
def duban_send(*, finding: Finding, actor: Any, due: dt.date, request: str) -> Duban:
    office = finding.submission.batch.office
    require_office(user=actor, office=office)
    if finding.state != FindingState.CONFIRMED:
        raise Conflict("只有已确认的问题才能督办")
    if hasattr(finding, "duban"):
        raise Conflict("该问题已督办")
    if due < timezone.localdate():
        raise Invalid("办理期限不能早于今天", details={"due": "期限已过"})
    request = request.strip() or f"请核实并整改：{finding.message}"
    d = Duban.objects.create(finding=finding, body=finding.submission.body, request=request, due=due, sent_by=actor)
    audit_record(actor=actor, action="supervision.send", subject=d, body=d.body,
                 after=snapshot(d, ["body", "request", "due", "state"]))
    return d


@transaction.atomic
def duban_answer(*, duban: Duban, actor: Any, answer: str) -> Duban:
    if not answering_bodies(user=actor).filter(pk=duban.body_id).exists():
        raise Forbidden("只有承办机关的工作人员才能答复督办事项")
    if duban.state != DubanState.SENT:
        raise Conflict("该督办事项不在待答复状态")
    answer = answer.strip()
    if not answer:
        raise Invalid("请填写答复内容", details={"answer": "请填写答复"})
    before = snapshot(duban, ["state", "answer"])
    duban.answer, duban.answered_by, duban.answered_at = answer, actor, timezone.now()
    duban.state = DubanState.ANSWERED
    duban.save()
    audit_record(actor=actor, action="supervision.answer", subject=duban, body=duban.body, before=before,
                 after=snapshot(duban, ["state", "answer"]))
    return duban


@transaction.atomic
def duban_close(*, duban: Duban, actor: Any, note: str = "", reopen: bool = False) -> Duban:
    """The office closes an answered 督办, or sends it back (``reopen``) for a better answer."""
    office = duban.finding.submission.batch.office
    if not offices_for(user=actor).filter(pk=office.pk).exists():
        raise Forbidden("只有督查机关才能办结督办事项")
    if duban.state != DubanState.ANSWERED:
        raise Conflict("承办机关答复后才能办结或退回")
    if reopen and not note.strip():
        raise Invalid("退回须说明理由", details={"note": "请填写理由"})
    before = snapshot(duban, ["state", "closing_note"])
    duban.closing_note = note.strip()
    if reopen:
        duban.state = DubanState.SENT
    else:
        duban.state, duban.closed_by, duban.closed_at = DubanState.CLOSED, actor, timezone.now()
    duban.save()
    audit_record(actor=actor, action="supervision.reopen" if reopen else "supervision.close", subject=duban,
                 body=office, before=before, after=snapshot(duban, ["state", "closing_note"]))
    return duban
