"""Writes of the annual reports: start (pre-filled), edit texts, refresh tables, acknowledge warnings,
submit → approve → 签发 → publish (with returns). Keyword-only, atomic, audited; documents rendered on publish.

Only a draft changes (texts, tables, acknowledgements); a report under review, reviewed or signed goes back to
draft first (``report_return``, audited). Approval and sign-off follow the one four-eyes rule of ``core.review``."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from ...checks import has_errors, run_checks
from ...compose import CatalogFacts, compose, placeholders, with_drafts
from ...formats import BodyKind, Level
from ...report import Contact, Report, SectionText
from ...write import render
from ..audit.services import audit_record
from ..bodies.models import Body
from ..bodies.permissions import require
from ..core.db import atomic_retry
from ..core.errors import Conflict, Invalid
from ..core.review import Rule, require_independent
from .models import TRANSITIONS, AnnualReport, ReportEvent, ReportFile, ReportState
from .selectors import (
    check_options_for,
    fee_facts,
    finding_key,
    findings_of,
    outreach_of,
    previous_report_of,
    signer_of,
    submitter_of,
)

# Who has a hand in a report (the audit actions of this module), for the four-eyes rule (core/review.py): since the
# last approval, none of them approves it; since the last sign-off, none of them signs it (负责人签发 is not by the
# author). A return is neither: the people who touched the report stay barred.
_TOUCHES = {"reports.start": "编制", "reports.edit": "修改", "reports.refresh": "重新计算表格",
            "reports.acknowledge": "确认警告", "reports.submit": "提交审核"}
REVIEW_RULE = Rule(noun="报告", touches=_TOUCHES, approvals=frozenset({"reports.approve"}))
SIGN_RULE = Rule(noun="报告", touches=_TOUCHES, approvals=frozenset({"reports.sign"}))

NARRATIVE = (1, 5, 6)
DOCUMENTS = ("html", "fragment", "docx", "pdf")


def _transition(rep: AnnualReport, action: str) -> str:
    target = TRANSITIONS[action].get(rep.state)
    if target is None:
        raise Conflict(f"“{rep.get_state_display()}”状态的报告不能{_NAMES[action]}")
    return target


_NAMES = {"submit": "提交审核", "approve": "审核通过", "sign": "签发", "return": "退回", "publish": "发布"}


def _draft_only(rep: AnnualReport, what: str) -> None:
    if rep.state != ReportState.DRAFT:
        raise Conflict(f"“{rep.get_state_display()}”的报告不能{what}：只有草稿可以修改，请先退回修改")


def _event(rep: AnnualReport, *, actor: Any, action: str, before: str, note: str = "",
           after: dict[str, Any] | None = None) -> None:
    ReportEvent.objects.create(report=rep, actor=actor if getattr(actor, "is_authenticated", False) else None,
                               action=action, from_state=before, to_state=rep.state, note=note)
    audit_record(actor=actor, action=f"reports.{action}", subject=rep, body=rep.body,
                 before={"state": before}, after={"state": rep.state, **(after or {})}, note=note)


def _who(user: Any) -> str | None:
    """A person as the audit log shows them in ``after``: by name (the id is the actor of that step's own event);
    ``None`` for nobody."""
    if not getattr(user, "is_authenticated", False):
        return None
    return user.get_full_name() or user.get_username()




# --- building the report ----------------------------------------------------------------------
def tables_of(*, body: Body, year: int) -> Report:
    """Sections 三/四 from the ledger and 二 from the catalog, with the body's metadata; no texts."""
    from ..applications.selectors import ledger_report
    from ..catalog.selectors import section2_cells

    report = ledger_report(body=body, year=year).with_cells(section2_cells(body=body, year=year))
    return report.with_metadata(
        agency=body.name, year=year, body_kind=BodyKind(body.kind) if body.kind else None,
        level=Level(body.level) if body.level else None, format_declared="2021", format_detected="2021",
        basis_cited="国办公开办函〔2021〕30号", period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31),
        contact=Contact(office=body.office_name or None, address=body.address or None,
                        postcode=body.postcode or None, phone=body.phone or None, email=body.email or None))


def _with_sections(report: Report, texts: dict[int, str]) -> Report:
    sections = tuple(SectionText(number=s.number, heading=s.heading, text=texts.get(s.number, ""), order=s.number)
                     for s in report.fmt.sections)
    return report.model_copy(update={"sections": sections})


def draft_of(*, body: Body, year: int) -> Report:
    """The pre-filled report: tables computed, narrative drafted from the facts (changes on last year)."""
    from ..catalog.selectors import catalog_year_facts

    tables = tables_of(body=body, year=year)
    previous = previous_report_of(body=body, year=year)
    facts = CatalogFacts(**catalog_year_facts(body=body, year=year))
    draft = compose(tables, previous=previous, catalog=facts, outreach=outreach_of(body=body, year=year),
                    fee=fee_facts(body=body, year=year))
    return with_drafts(_with_sections(tables, {}), draft, keep_existing=False)


@atomic_retry(unique=True)  # two people starting the same year at once: the second run finds the first's report
def report_start(*, body: Body, year: int, actor: Any) -> AnnualReport:
    require(user=actor, action="register", body=body)
    if year > timezone.localdate().year:
        raise Invalid("不能编制未来年度的报告")
    existing = AnnualReport.objects.filter(body=body, year=year).first()
    if existing is not None:
        return existing
    rep = AnnualReport.objects.create(body=body, year=year, data=draft_of(body=body, year=year).to_json(indent=None))
    _event(rep, actor=actor, action="start", before="")
    return rep


def _locked(rep: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().select_related("body").get(pk=rep.pk)


@transaction.atomic
def report_save_texts(*, report: AnnualReport, actor: Any, texts: dict[int, str]) -> AnnualReport:
    rep = _locked(report)
    require(user=actor, action="register", body=rep.body)
    _draft_only(rep, "修改文字")
    data = rep.report
    by_number = {s.number: s for s in data.sections}
    for n, text in texts.items():
        if n not in NARRATIVE:
            raise Invalid("只能编辑第一、五、六部分的文字")
        if len(text) > 50000:
            raise Invalid("文字过长")
        old = by_number.get(n)
        heading = old.heading if old else data.fmt.sections[n - 1].heading
        by_number[n] = SectionText(number=n, heading=heading, text=text.replace("\r\n", "\n").strip(), order=n)
    data = data.model_copy(update={"sections": tuple(by_number[k] for k in sorted(by_number))})
    rep.data = data.to_json(indent=None)
    rep.updated_at = timezone.now()
    rep.save(update_fields=["data", "updated_at"])
    audit_record(actor=actor, action="reports.edit", subject=rep, body=rep.body,
                 after={"sections": sorted(texts)})
    return rep


@transaction.atomic
def report_refresh_tables(*, report: AnnualReport, actor: Any) -> AnnualReport:
    """Recompute the tables from the ledger and the catalog, keeping the texts."""
    rep = _locked(report)
    require(user=actor, action="register", body=rep.body)
    _draft_only(rep, "重新计算表格")
    old = rep.report
    fresh = tables_of(body=rep.body, year=rep.year)
    rep.data = fresh.model_copy(update={"sections": old.sections}).to_json(indent=None)
    rep.updated_at = timezone.now()
    rep.save(update_fields=["data", "updated_at"])
    audit_record(actor=actor, action="reports.refresh", subject=rep, body=rep.body)
    return rep


@transaction.atomic
def report_acknowledge(*, report: AnnualReport, actor: Any, keys: list[str]) -> AnnualReport:
    rep = _locked(report)
    require(user=actor, action="register", body=rep.body)
    _draft_only(rep, "确认警告")
    rep.acknowledged = sorted(set(keys))
    rep.save(update_fields=["acknowledged"])
    audit_record(actor=actor, action="reports.acknowledge", subject=rep, body=rep.body,
                 after={"acknowledged": rep.acknowledged})
    return rep


@transaction.atomic
def report_set_deadline(*, report: AnnualReport, actor: Any, deadline: dt.date | None) -> AnnualReport:
    """Set the local publication deadline (e.g. a 乡镇/街道 deadline set by the city); ``None`` restores the
    statutory one."""
    rep = _locked(report)
    require(user=actor, action="manage", body=rep.body)
    if rep.state == ReportState.PUBLISHED:
        raise Conflict("已发布的报告不能再设置发布期限")
    before = rep.deadline
    rep.deadline = deadline
    rep.save(update_fields=["deadline"])
    audit_record(actor=actor, action="reports.deadline", subject=rep, body=rep.body,
                 before={"deadline": before}, after={"deadline": deadline})
    return rep


def blockers(rep: AnnualReport, *, findings: list[Any] | None = None) -> list[str]:
    """Why the report cannot go on: errors, unacknowledged warnings, placeholders left."""
    data = rep.report
    found = findings if findings is not None else findings_of(rep, data)
    out = []
    if has_errors(found):
        out.append(f"有 {sum(1 for f in found if f.level == 'error')} 个错误须先改正")
    pending = [f for f in found if f.level == "warning" and finding_key(f) not in set(rep.acknowledged)]
    if pending:
        out.append(f"有 {len(pending)} 个警告尚未确认")
    left = [p for s in data.sections for p in placeholders(s.text)]
    if left:
        out.append(f"还有 {len(left)} 处【待填写】")
    return out


@transaction.atomic
def report_submit(*, report: AnnualReport, actor: Any) -> AnnualReport:
    rep = _locked(report)
    require(user=actor, action="register", body=rep.body)
    before = rep.state
    target = _transition(rep, "submit")
    problems = blockers(rep)
    if problems:
        raise Conflict("不能提交审核：" + "；".join(problems))
    rep.state = target
    rep.save(update_fields=["state"])
    _event(rep, actor=actor, action="submit", before=before, after={"submitted_by": _who(actor)})
    return rep


@transaction.atomic
def report_approve(*, report: AnnualReport, actor: Any, note: str = "") -> AnnualReport:
    """Approve a submitted report. Four eyes (``REVIEW_RULE``): nobody who started, edited, refreshed,
    acknowledged or submitted it since its last approval; they may still return it."""
    rep = _locked(report)
    require(user=actor, action="review", body=rep.body)
    before = rep.state
    target = _transition(rep, "approve")
    require_independent(user=actor, subject=rep, rule=REVIEW_RULE, act="审核通过")
    submitter = submitter_of(rep)
    rep.state = target
    rep.save(update_fields=["state"])
    _event(rep, actor=actor, action="approve", before=before, note=note,
           after={"submitted_by": _who(submitter), "approved_by": _who(actor)})
    return rep


@transaction.atomic
def report_sign(*, report: AnnualReport, actor: Any, note: str = "") -> AnnualReport:
    """负责人签发: a 负责人 of the body, who did not write, edit or submit the report since it was last signed,
    signs the reviewed report off; only a signed report is published."""
    rep = _locked(report)
    require(user=actor, action="sign", body=rep.body)
    before = rep.state
    target = _transition(rep, "sign")
    require_independent(user=actor, subject=rep, rule=SIGN_RULE, act="签发")
    rep.state = target
    rep.save(update_fields=["state"])
    _event(rep, actor=actor, action="sign", before=before, note=note.strip(),
           after={"signed_by": _who(actor), "signed_at": timezone.now()})
    return rep


@transaction.atomic
def report_return(*, report: AnnualReport, actor: Any, reason: str) -> AnnualReport:
    """退回修改: the way back to draft from 待审核, 已审核 or 已签发 (by a reviewer or a 负责人), audited; the
    approval and the sign-off no longer count."""
    rep = _locked(report)
    if not (_can(actor, "review", rep.body) or _can(actor, "sign", rep.body)):
        require(user=actor, action="review", body=rep.body)
    if not reason.strip():
        raise Invalid("退回须写明理由")
    before = rep.state
    rep.state = _transition(rep, "return")
    rep.save(update_fields=["state"])
    _event(rep, actor=actor, action="return", before=before, note=reason.strip())
    return rep


def year_not_ended(year: int, on: dt.date | None = None) -> str | None:
    """Why a report for ``year`` cannot be published on ``on`` (today by default), or ``None``."""
    end = dt.date(year, 12, 31)
    if min(d for d in (timezone.localdate(), on) if d is not None) <= end:  # neither today nor the date stated
        return (f"{year}年度尚未结束（统计期至{year}年12月31日），不能发布该年度的报告；"
                f"请在{year + 1}年1月1日以后发布")
    return None


@transaction.atomic
def report_publish(*, report: AnnualReport, actor: Any, on: dt.date | None = None) -> AnnualReport:
    """Publish a signed report: fix the publication date, render HTML/DOCX/PDF and put them on the portal.
    Never before the year it reports on has ended."""
    rep = _locked(report)
    require(user=actor, action="review", body=rep.body)
    before = rep.state
    if rep.state == ReportState.REVIEWED:
        raise Conflict("报告尚未经负责人签发，不能发布（审核通过后须由负责人签发）")
    target = _transition(rep, "publish")
    early = year_not_ended(rep.year, on)
    if early:
        raise Conflict(early)
    problems = blockers(rep)
    if problems:
        raise Conflict("不能发布：" + "；".join(problems))
    data = rep.report.with_metadata(publish_date=on or timezone.localdate())
    rep.data = data.to_json(indent=None)
    _store_documents(rep, data)
    rep.state = target
    rep.published_at = timezone.now()
    rep.save(update_fields=["data", "state", "published_at"])
    signer = signer_of(rep)
    _event(rep, actor=actor, action="publish", before=before,
           after={"signed_by": _who(signer), "publish_date": data.metadata.publish_date})
    return rep


def _can(user: Any, action: str, body: Body) -> bool:
    from ..bodies.permissions import can

    return can(user=user, action=action, body=body)


def _store_documents(rep: AnnualReport, data: Report) -> None:
    previous = previous_report_of(body=rep.body, year=rep.year)
    findings = [f for f in run_checks(data, previous=previous, options=check_options_for(rep))
                if f.level == "error"]
    for kind in DOCUMENTS:
        content = render(data, "html" if kind == "fragment" else kind, findings=findings,
                         fragment=kind == "fragment")
        ReportFile.objects.update_or_create(report=rep, kind=kind,
                                            defaults={"content": content, "size": len(content)})


@transaction.atomic
def report_import_published(*, body: Body, report: Report, actor: Any = None,
                            published_on: dt.date | None = None) -> AnnualReport:
    """Load an earlier year's report (e.g. from the reader) as published, with its documents."""
    if actor is not None:
        require(user=actor, action="manage", body=body)
    if report.year is None:
        raise Invalid("报告缺少年度")
    on = published_on or report.metadata.publish_date
    data = report.with_metadata(agency=body.name, publish_date=on)
    # the day it was published, as the document states it; unknown stays unknown (never the day of the import)
    when = timezone.make_aware(dt.datetime.combine(on, dt.time(9, 0))) if on else None
    rep, _ = AnnualReport.objects.update_or_create(
        body=body, year=report.year,
        defaults={"data": data.to_json(indent=None), "state": ReportState.PUBLISHED, "imported": True,
                  "published_at": when})
    _store_documents(rep, data)
    _event(rep, actor=actor, action="import", before="", note="导入已发布的报告")
    return rep
