"""The annual report: pre-filled from the ledger and the catalog, checked, reviewed, published to the portal."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.compose import placeholders
from gongkai.web.catalog import services as cs
from gongkai.web.core.errors import Conflict, Forbidden, Invalid
from gongkai.web.reports import services as s
from gongkai.web.reports.models import ReportState
from gongkai.web.reports.selectors import deadline_of, finding_key, findings_of

YEAR = 2025


def _filled(rep):
    """The clerk's edit: every placeholder replaced by a sentence (what a clerk would write)."""
    texts = {}
    for sec in rep.report.sections:
        if sec.number in (1, 5, 6):
            text = sec.text
            for p in placeholders(text):
                text = text.replace(f"【待填写：{p}】", "本年度按要求落实相关工作" if "信息处理费" not in p
                                    else "本年度未收取信息处理费")
            texts[sec.number] = text
    return texts


@pytest.fixture
def started(world, publish):
    publish("七政街道网格化管理规定", doc_kind="normative", validity="valid", written_on=dt.date(YEAR, 3, 1))
    cs.figures_set(body=world["street"], year=YEAR, actor=world["clerk"], penalty=4)
    return s.report_start(body=world["street"], year=YEAR, actor=world["clerk"])


def test_the_draft_is_prefilled_from_catalog_and_ledger(started):
    data = started.report
    assert data.value("s2.normative_docs.issued") == 1 and data.value("s2.penalty.decisions") == 4
    assert data.value("s3.new.total") == 0 and data.metadata.agency == "南岗区七政街道办事处"
    assert data.metadata.period_start == dt.date(YEAR, 1, 1)
    one = data.section(1).text
    assert "本年制发行政规范性文件1件" in one and "主动公开政府信息" in one
    assert placeholders(one)  # what only the clerk knows is marked, not invented


def test_placeholders_and_unacknowledged_warnings_block_submission(world, publish, started):
    with pytest.raises(Conflict, match="待填写"):
        s.report_submit(report=started, actor=world["clerk"])
    publish("某规章", doc_kind="rule", validity="valid", written_on=dt.date(YEAR, 5, 1))  # W2 for a 街道
    rep = s.report_refresh_tables(report=started, actor=world["clerk"])
    rep = s.report_save_texts(report=rep, actor=world["clerk"], texts=_filled(rep))
    warnings = [f for f in findings_of(rep) if f.level == "warning"]
    assert "W2" in {f.id for f in warnings}
    with pytest.raises(Conflict, match="警告"):
        s.report_submit(report=rep, actor=world["clerk"])
    rep = s.report_acknowledge(report=rep, actor=world["clerk"], keys=[finding_key(f) for f in warnings])
    rep = s.report_submit(report=rep, actor=world["clerk"])
    assert rep.state == ReportState.PENDING


def test_errors_block_publication(world, started):
    rep = s.report_save_texts(report=started, actor=world["clerk"], texts=_filled(started))
    broken = rep.report.with_cells({"s3.new.natural": 3})  # I1/I4 now fail
    rep.data = broken.to_json()
    rep.save()
    assert any(f.level == "error" for f in findings_of(rep))
    with pytest.raises(Conflict, match="错误"):
        s.report_submit(report=rep, actor=world["clerk"])


def test_full_lifecycle_with_a_return_and_publication(client, world, started):
    rep = s.report_save_texts(report=started, actor=world["clerk"], texts=_filled(started))
    rep = s.report_acknowledge(report=rep, actor=world["clerk"],
                               keys=[finding_key(f) for f in findings_of(rep) if f.level == "warning"])
    rep = s.report_submit(report=rep, actor=world["clerk"])
    with pytest.raises(Forbidden):
        s.report_approve(report=rep, actor=world["clerk"])  # a clerk cannot review
    with pytest.raises(Invalid):
        s.report_return(report=rep, actor=world["reviewer"], reason="")
    rep = s.report_return(report=rep, actor=world["reviewer"], reason="第五部分请补充整改情况")
    assert rep.state == ReportState.DRAFT
    rep = s.report_submit(report=rep, actor=world["clerk"])
    rep = s.report_approve(report=rep, actor=world["reviewer"])
    assert client.get(reverse("portal:report", args=[world["street"].pk, YEAR])).status_code == 404
    with pytest.raises(Conflict, match="签发"):
        s.report_publish(report=rep, actor=world["reviewer"], on=dt.date(YEAR + 1, 1, 20))
    rep = s.report_sign(report=rep, actor=world["head"])
    rep = s.report_publish(report=rep, actor=world["reviewer"], on=dt.date(YEAR + 1, 1, 20))
    assert rep.state == ReportState.PUBLISHED and rep.report.metadata.publish_date == dt.date(YEAR + 1, 1, 20)
    assert [e.action for e in rep.events.all()] == ["start", "submit", "return", "submit", "approve", "sign",
                                                     "publish"]
    page = client.get(reverse("portal:report", args=[world["street"].pk, YEAR])).content.decode()
    assert "二、主动公开政府信息情况" in page and "本年度未收取信息处理费" in page
    pdf = client.get(reverse("portal:report-file", args=[world["street"].pk, YEAR, "pdf"]))
    docx = client.get(reverse("portal:report-file", args=[world["street"].pk, YEAR, "docx"]))
    assert pdf.content[:5] == b"%PDF-" and docx.content[:2] == b"PK"
    with pytest.raises(Conflict):
        s.report_save_texts(report=rep, actor=world["clerk"], texts={1: "改动"})


def test_deadlines(world, settings):
    """第四十九条: 部门 1月31日, 县级以上人民政府 3月31日, 乡镇/街道 by a local rule set on the body or above it,
    with its basis shown; no rule, no made-up deadline (it used to be 3月31日 for a 街道 without justification)."""
    from gongkai.web.bodies.models import Body, Role
    from gongkai.web.bodies.services import body_update_settings, membership_grant

    dept = Body(name="某区教育局", kind="department", level="county")
    gov = Body(name="某区人民政府", kind="government", level="county")
    assert deadline_of(body=dept, year=2025).due == dt.date(2026, 1, 31)
    assert "1月31日" in deadline_of(body=dept, year=2025).basis
    assert deadline_of(body=gov, year=2025).due == dt.date(2026, 3, 31)
    street = world["street"]
    unset = deadline_of(body=street, year=2025)
    assert unset.due is None and "地方规定" in unset.basis and "尚未设置" in unset.basis
    settings.GONGKAI_TOWNSHIP_REPORT_DEADLINE, settings.GONGKAI_TOWNSHIP_REPORT_DEADLINE_BASIS = "03-15", "某省通知"
    assert deadline_of(body=street, year=2025).due == dt.date(2026, 3, 15)
    assert "某省通知" in deadline_of(body=street, year=2025).basis
    admin = world["clerk2"]
    membership_grant(user=admin, body=world["district"], role=Role.ADMIN)
    with pytest.raises(Invalid, match="依据"):
        body_update_settings(body=world["district"], actor=admin, township_report_deadline="02-15")
    with pytest.raises(Invalid, match="月-日"):
        body_update_settings(body=world["district"], actor=admin, township_report_deadline="02-30",
                             township_report_deadline_basis="x")
    with pytest.raises(Forbidden):
        body_update_settings(body=world["street"], actor=admin, township_report_deadline="02-15",
                             township_report_deadline_basis="x")
    body_update_settings(body=world["district"], actor=admin, township_report_deadline="02-15",
                         township_report_deadline_basis="南岗区政务公开办通知")
    dl = deadline_of(body=street, year=2025, today=dt.date(2026, 2, 1))
    assert dl.due == dt.date(2026, 2, 15) and dl.days_left == 14 and dl.remind
    assert "南岗区政务公开办通知" in dl.basis and world["district"].name in dl.basis
    assert deadline_of(body=street, year=2025, override=dt.date(2026, 2, 20)).due == dt.date(2026, 2, 20)
    # the 区 itself is a 县级以上人民政府: 3月31日, whatever it sets for the 街道 below it
    assert deadline_of(body=world["district"], year=2025).due == dt.date(2026, 3, 31)


def test_supervisor_sees_subordinate_states_and_rollup(client, world, started):
    s.report_start(body=world["other"], year=YEAR, actor=world["outsider"])
    client.force_login(world["supervisor"])
    html = client.get(reverse("reports:supervise"), {"year": YEAR}).content.decode()
    assert "南岗区七政街道办事处" in html and "南岗区革新街道办事处" in html and "草稿" in html
    assert "汇总表（2 个机关" in html
    client.force_login(world["outsider"])
    assert client.get(reverse("reports:compose", args=[started.pk])).status_code == 404


def test_composer_page_and_live_check(client, world, started):
    client.force_login(world["clerk"])
    html = client.get(reverse("reports:compose", args=[started.pk])).content.decode()
    assert "待填写" in html and "发布期限" in html and "提交审核" in html
    panel = client.post(reverse("reports:check", args=[started.pk]), {"s6": "本年度收取信息处理费"}).content.decode()
    assert "检查结果" in panel


def test_local_deadline_needs_the_manage_role(world, started):
    from gongkai.web.bodies.models import Role
    from gongkai.web.bodies.services import membership_grant

    with pytest.raises(Forbidden):
        s.report_set_deadline(report=started, actor=world["clerk"], deadline=dt.date(YEAR + 1, 2, 28))
    membership_grant(user=world["clerk2"], body=world["street"], role=Role.ADMIN)
    rep = s.report_set_deadline(report=started, actor=world["clerk2"], deadline=dt.date(YEAR + 1, 2, 28))
    assert deadline_of(body=rep.body, year=YEAR, override=rep.deadline).due == dt.date(YEAR + 1, 2, 28)


def _ready(world, rep):
    """The texts filled and the warnings acknowledged: ready to be submitted."""
    rep = s.report_save_texts(report=rep, actor=world["clerk"], texts=_filled(rep))
    return s.report_acknowledge(report=rep, actor=world["clerk"],
                                keys=[finding_key(f) for f in findings_of(rep) if f.level == "warning"])


def test_the_submitter_cannot_approve_their_own_submission(world, started):
    from gongkai.web.audit.models import AuditEntry
    from gongkai.web.bodies.models import Role
    from gongkai.web.bodies.services import membership_grant

    rep = s.report_submit(report=_ready(world, started), actor=world["reviewer"])  # reviewer also has 登记员
    with pytest.raises(Forbidden, match="提交审核过"):
        s.report_approve(report=rep, actor=world["reviewer"])
    rep.refresh_from_db()
    assert rep.state == ReportState.PENDING
    assert not rep.events.filter(action="approve").exists()
    # returning one's own submission is allowed, but a return is no approval: the reviewer stays barred until
    # someone else has approved (else: edit, submit, return it oneself, have it resubmitted, approve)
    rep = s.report_return(report=rep, actor=world["reviewer"], reason="撤回补充")
    assert rep.state == ReportState.DRAFT
    rep = s.report_submit(report=rep, actor=world["clerk"])
    with pytest.raises(Forbidden):
        s.report_approve(report=rep, actor=world["reviewer"])
    membership_grant(user=world["clerk2"], body=world["street"], role=Role.REVIEWER)
    rep = s.report_approve(report=rep, actor=world["clerk2"], note="同意")
    assert rep.state == ReportState.REVIEWED
    entry = AuditEntry.objects.filter(subject_id=str(rep.pk), action="reports.approve").get()
    assert entry.actor == world["clerk2"]
    assert entry.after == {"state": "reviewed",
                           "submitted_by": "clerk", "approved_by": "clerk2"}  # by name (full names here)
    submits = AuditEntry.objects.filter(subject_id=str(rep.pk), action="reports.submit").order_by("pk")
    assert [e.after["submitted_by"] for e in submits] == ["reviewer", "clerk"]
    # after that approval the slate is clean: returned and resubmitted by the clerk alone, the reviewer may
    # approve; resubmitted by the reviewer, not
    rep = s.report_return(report=rep, actor=world["reviewer"], reason="数据需更新")
    rep = s.report_submit(report=rep, actor=world["clerk"])
    rep = s.report_approve(report=rep, actor=world["reviewer"])
    rep = s.report_return(report=rep, actor=world["reviewer"], reason="再改")
    rep = s.report_submit(report=rep, actor=world["reviewer"])
    with pytest.raises(Forbidden):
        s.report_approve(report=rep, actor=world["reviewer"])


def test_the_composer_does_not_offer_approval_to_the_submitter(client, world, started):
    rep = s.report_submit(report=_ready(world, started), actor=world["reviewer"])
    client.force_login(world["reviewer"])
    url = reverse("reports:compose", args=[rep.pk])
    html = client.get(url).content.decode()
    assert 'value="approve"' not in html and 'id="own-submission"' in html and "提交审核过它" in html
    assert 'value="return"' in html  # returning stays possible
    page = client.post(url, {"action": "approve"}, follow=True).content.decode()
    assert "不能审核通过自己经手的报告" in page
    rep.refresh_from_db()
    assert rep.state == ReportState.PENDING
    # a report written and submitted by the clerk alone: the reviewer is offered approval and it goes through
    rep.delete()  # (a test shortcut: a fresh report the reviewer never touched)
    rep = s.report_submit(report=_ready(world, s.report_start(body=world["street"], year=YEAR,
                                                              actor=world["clerk"])), actor=world["clerk"])
    url = reverse("reports:compose", args=[rep.pk])
    html = client.get(url).content.decode()
    assert 'value="approve"' in html and 'id="own-submission"' not in html and "提交人：clerk" in html
    page = client.post(url, {"action": "approve"}, follow=True).content.decode()
    assert "审核通过" in page
    rep.refresh_from_db()
    assert rep.state == ReportState.REVIEWED
