"""先审查、后公开 as the law means it (issue 13, item 2): a record is approved only by someone who did not write,
edit, attach to or submit it since its last approval, over every path (services, staff pages, the API); approved
and published records change only through an audited return to draft. And the catalog and report rules of issue
12, item 7: 索引号 from the body's code, 「超期未公开」 only for 主动公开, no report before the year ends, the report
deadline by body kind, section 六 from the ledger's fees, 负责人签发, real publication dates."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from gongkai.compose import placeholders
from gongkai.web.audit.models import AuditEntry
from gongkai.web.bodies.models import Role
from gongkai.web.bodies.services import body_update_settings, membership_grant
from gongkai.web.catalog import services as cs
from gongkai.web.catalog.models import Item, ItemState
from gongkai.web.catalog.selectors import items_public
from gongkai.web.core.errors import Conflict, Forbidden, Invalid
from gongkai.web.reports import services as rs
from gongkai.web.reports.models import AnnualReport, ReportState
from gongkai.web.reports.selectors import finding_key, findings_of

YEAR = 2025
BASIS = "经审查，不涉及国家秘密、工作秘密、商业秘密和个人隐私，可以主动公开。"
PRIVATE = "张三 身份证号 230103198001011234 电话 13800000000"


@pytest.fixture
def people(world: dict) -> dict[str, Any]:
    """Body A's people as in the demo: ``shenhe`` is a 审核人 who can also register (like every 管理员)."""
    u = dict(world["users"])
    membership_grant(user=u["reviewer_a"], body=world["a"], role=Role.CLERK)  # the demo's shenhe
    return u


def _draft(world: dict, people: dict, title: str = "七政街道临时救助公示") -> Item:
    return cs.item_create(body=world["a"], author=people["clerk_a"], title=title, text=f"{title}的正文。")


# --- the catalog: the demo scenario on every path ---------------------------------------------------------------
def test_one_person_cannot_rewrite_submit_approve_and_publish_someone_elses_draft(world, people):
    """The attack of issue 13: the 审核人 rewrites the clerk's draft (an ID number and a phone number go in),
    submits, approves and publishes it alone. Fails at approval before the fix (only the creator was refused)."""
    shenhe = people["reviewer_a"]
    item = _draft(world, people)
    cs.item_update(item=item, actor=shenhe, text=PRIVATE)
    cs.item_submit(item=item, actor=shenhe)
    with pytest.raises(Forbidden, match="修改、提交审查过它"):
        cs.item_review(item=item, reviewer=shenhe, approve=True, basis=BASIS)
    with pytest.raises(Conflict):
        cs.item_publish(item=item, actor=shenhe)
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED and not item.reviews.exists() and not items_public().exists()
    # the clerk wrote it first: still not theirs to approve either way; an independent reviewer can
    membership_grant(user=people["admin_a"], body=world["a"], role=Role.REVIEWER)
    cs.item_review(item=item, reviewer=people["admin_a"], approve=False, reasons="含身份证号和电话")
    assert Item.objects.get(pk=item.pk).state == ItemState.RETURNED


@pytest.mark.parametrize("touch", ["edit", "attach", "submit"])
def test_each_kind_of_touch_bars_the_reviewer(world, people, touch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    shenhe = people["reviewer_a"]
    item = _draft(world, people)
    if touch == "edit":
        cs.item_update(item=item, actor=shenhe, summary="审核人改的摘要")
    elif touch == "attach":
        cs.attachment_add(item=item, actor=shenhe, name="名单.pdf", data=b"%PDF-1.4 x")
    cs.item_submit(item=item, actor=shenhe if touch == "submit" else people["clerk_a"])
    with pytest.raises(Forbidden, match={"edit": "修改", "attach": "添加附件", "submit": "提交审查"}[touch]):
        cs.item_review(item=item, reviewer=shenhe, approve=True, basis=BASIS)


def test_a_return_does_not_clear_the_bar_an_approval_does(world, people):
    """Edit, submit, return it oneself, have the clerk resubmit, approve: refused. After someone else's approval
    and a return to draft, the earlier touches no longer count (the content was reviewed by another person)."""
    shenhe, clerk = people["reviewer_a"], people["clerk_a"]
    item = _draft(world, people)
    cs.item_update(item=item, actor=shenhe, text=PRIVATE)
    cs.item_submit(item=item, actor=shenhe)
    cs.item_review(item=item, reviewer=shenhe, approve=False, reasons="自己退回")
    cs.item_submit(item=item, actor=clerk)
    with pytest.raises(Forbidden):
        cs.item_review(item=item, reviewer=shenhe, approve=True, basis=BASIS)
    membership_grant(user=people["admin_a"], body=world["a"], role=Role.REVIEWER)
    cs.item_review(item=item, reviewer=people["admin_a"], approve=True, basis=BASIS)
    cs.item_return_to_draft(item=item, actor=shenhe, reason="标题需修改")
    cs.item_update(item=item, actor=clerk, title="七政街道临时救助公示（修订）")
    cs.item_submit(item=item, actor=clerk)
    cs.item_review(item=item, reviewer=shenhe, approve=True, basis=BASIS)  # shenhe did nothing since
    assert Item.objects.get(pk=item.pk).state == ItemState.APPROVED


def test_the_staff_pages_refuse_and_do_not_offer_it(client, world, people):
    shenhe = people["reviewer_a"]
    item = _draft(world, people)
    client.force_login(shenhe)
    r = client.post(f"/staff/catalog/{item.pk}/edit/", {"title": item.title, "category": "other",
                                                        "disclosure": "proactive", "text": PRIVATE})
    assert r.status_code == 302
    client.post(f"/staff/catalog/{item.pk}/", {"action": "submit"})
    assert Item.objects.get(pk=item.pk).state == ItemState.SUBMITTED
    html = client.get(f"/staff/catalog/{item.pk}/").content.decode()
    assert 'id="review-refusal"' in html and 'name="decision"' not in html
    page = client.post(f"/staff/catalog/{item.pk}/", {"action": "review", "decision": "approve", "basis": BASIS},
                       follow=True).content.decode()
    assert "不能审查自己经手的信息" in page
    assert not [i for i in client.get("/staff/catalog/review/").context["items"] if i.pk == item.pk]
    assert Item.objects.get(pk=item.pk).state == ItemState.SUBMITTED


def test_the_api_refuses_it(client, world, people):
    shenhe = people["reviewer_a"]
    item = _draft(world, people)
    client.force_login(shenhe)
    r = client.patch(f"/api/catalog/items/{item.pk}", {"text": PRIVATE}, content_type="application/json")
    assert r.status_code == 200 and Item.objects.get(pk=item.pk).text == PRIVATE
    assert client.post(f"/api/catalog/items/{item.pk}/submit").status_code == 200
    r = client.post(f"/api/catalog/items/{item.pk}/review", {"approve": True, "basis": BASIS},
                    content_type="application/json")
    assert r.status_code == 403 and "修改" in r.json()["error"]["message"]
    assert client.post(f"/api/catalog/items/{item.pk}/publish").status_code == 409
    assert Item.objects.get(pk=item.pk).state == ItemState.SUBMITTED
    # an approved item cannot be changed through the API either, only returned to draft (by a reviewer)
    client.force_login(people["clerk_a"])
    other = _draft(world, people, "七政街道防汛应急预案")
    client.post(f"/api/catalog/items/{other.pk}/submit")
    client.force_login(shenhe)
    assert client.post(f"/api/catalog/items/{other.pk}/review", {"approve": True, "basis": BASIS},
                       content_type="application/json").status_code == 200
    r = client.patch(f"/api/catalog/items/{other.pk}", {"text": PRIVATE}, content_type="application/json")
    assert r.status_code == 409 and "退回草稿" in r.json()["error"]["message"]
    r = client.post(f"/api/catalog/items/{other.pk}/return", {"reason": "需补充"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "draft" and r.json()["approved_by_id"] is None


def test_published_items_change_only_after_an_audited_return_to_draft(client, world, people):
    shenhe, clerk = people["reviewer_a"], people["clerk_a"]
    item = _draft(world, people)
    cs.item_submit(item=item, actor=clerk)
    cs.item_review(item=item, reviewer=shenhe, approve=True, basis=BASIS)
    with pytest.raises(Conflict, match="退回草稿"):
        cs.item_update(item=item, actor=clerk, text=PRIVATE)
    item = cs.item_publish(item=item, actor=clerk)
    number = item.index_no
    for change in (lambda: cs.item_update(item=item, actor=shenhe, text=PRIVATE),
                   lambda: cs.attachment_add(item=item, actor=shenhe, name="a.pdf", data=b"%PDF-1.4")):
        with pytest.raises(Conflict):
            change()
    client.force_login(shenhe)
    assert client.get(f"/staff/catalog/{item.pk}/edit/").status_code == 403
    with pytest.raises(Forbidden):  # a clerk cannot take a published item back
        cs.item_return_to_draft(item=item, actor=clerk, reason="想改")
    with pytest.raises(Invalid):
        cs.item_return_to_draft(item=item, actor=shenhe, reason=" ")
    assert client.get(f"/xxgk/item/{number}/").status_code == 200
    client.post(f"/staff/catalog/{item.pk}/", {"action": "return_draft", "reason": "发现错别字"})
    item.refresh_from_db()
    assert item.state == ItemState.DRAFT and item.approved_by is None and item.index_no == number
    assert not items_public().exists() and client.get(f"/xxgk/item/{number}/").status_code == 404
    entry = AuditEntry.objects.filter(subject_id=str(item.pk), action="catalog.to_draft").get()
    assert entry.actor == shenhe and entry.note == "发现错别字" and entry.before["state"] == "published"
    # the fix goes through review again; republished, the item keeps its 索引号
    cs.item_update(item=item, actor=clerk, text="改正后的正文。")
    cs.item_submit(item=item, actor=clerk)
    cs.item_review(item=item, reviewer=shenhe, approve=True, basis=BASIS)
    assert cs.item_publish(item=item, actor=clerk).index_no == number


def test_no_django_admin_path_around_the_services():
    """The models are changed only through the services: the Django admin is not installed (were it ever
    added, the catalog and report models must not be registered in it without the same rule)."""
    assert "django.contrib.admin" not in django_settings.INSTALLED_APPS


# --- the annual report --------------------------------------------------------------------------------------------
def _filled(rep: AnnualReport) -> dict[int, str]:
    texts = {}
    for sec in rep.report.sections:
        if sec.number in (1, 5, 6):
            text = sec.text
            for p in placeholders(text):
                text = text.replace(f"【待填写：{p}】", "本年度按要求落实相关工作")
            texts[sec.number] = text
    return texts


def _ready(rep: AnnualReport, writer: Any) -> AnnualReport:
    rep = rs.report_save_texts(report=rep, actor=writer, texts=_filled(rep))
    return rs.report_acknowledge(report=rep, actor=writer,
                                 keys=[finding_key(f) for f in findings_of(rep) if f.level == "warning"])


@pytest.fixture
def report(world, people) -> AnnualReport:
    body_update_settings(body=world["district"], actor=people["root"], township_report_deadline="01-31",
                         township_report_deadline_basis="测试用本地规定")
    return rs.report_start(body=world["a"], year=YEAR, actor=people["clerk_a"])


def test_whoever_wrote_the_report_cannot_approve_it_though_someone_else_submitted(world, people, report):
    """Fails before the fix: only the last submitter was refused."""
    shenhe, clerk = people["reviewer_a"], people["clerk_a"]
    rep = _ready(report, shenhe)  # the reviewer writes the texts
    rep = rs.report_submit(report=rep, actor=clerk)  # the clerk presses submit
    with pytest.raises(Forbidden, match="修改"):
        rs.report_approve(report=rep, actor=shenhe)
    assert AnnualReport.objects.get(pk=rep.pk).state == ReportState.PENDING


def test_report_acknowledge_and_every_other_write_check_the_state(client, world, people, report):
    """Fails before the fix: a 登记员 changed the acknowledgements of an 已审核 report."""
    shenhe, clerk = people["reviewer_a"], people["clerk_a"]
    rep = rs.report_approve(report=rs.report_submit(report=_ready(report, clerk), actor=clerk), actor=shenhe)
    assert rep.state == ReportState.REVIEWED
    acknowledged = list(rep.acknowledged)
    for write in (lambda: rs.report_acknowledge(report=rep, actor=clerk, keys=[]),
                  lambda: rs.report_save_texts(report=rep, actor=clerk, texts={1: "改动"}),
                  lambda: rs.report_refresh_tables(report=rep, actor=clerk)):
        with pytest.raises(Conflict, match="只有草稿可以修改"):
            write()
    client.force_login(clerk)
    page = client.post(f"/staff/reports/{rep.pk}/", {"action": "save"}, follow=True).content.decode()
    assert "只有草稿可以修改" in page
    rep.refresh_from_db()
    assert rep.acknowledged == acknowledged and rep.state == ReportState.REVIEWED
    assert not AuditEntry.objects.filter(subject_id=str(rep.pk), action="reports.acknowledge",
                                         at__gt=rep.events.get(action="approve").at).exists()


def test_sign_off_by_the_head_between_review_and_publication(client, world, people, report):
    shenhe, clerk, head = people["reviewer_a"], people["clerk_a"], people["head_a"]
    rep = rs.report_approve(report=rs.report_submit(report=_ready(report, clerk), actor=clerk), actor=shenhe)
    with pytest.raises(Conflict, match="负责人签发"):
        rs.report_publish(report=rep, actor=shenhe)
    with pytest.raises(Forbidden, match="签发"):
        rs.report_sign(report=rep, actor=shenhe)  # a 审核人 is not a 负责人
    client.force_login(head)
    html = client.get(f"/staff/reports/{rep.pk}/").content.decode()
    assert 'value="sign"' in html and "已签发" in html
    client.post(f"/staff/reports/{rep.pk}/", {"action": "sign", "note": "同意发布"})
    rep.refresh_from_db()
    assert rep.state == ReportState.SIGNED
    entry = AuditEntry.objects.filter(subject_id=str(rep.pk), action="reports.sign").get()
    assert entry.actor == head and entry.note == "同意发布" and entry.after["signed_by"] == "head_a"
    rep = rs.report_publish(report=rep, actor=shenhe, on=dt.date(YEAR + 1, 1, 20))
    assert rep.state == ReportState.PUBLISHED
    html = client.get(f"/staff/reports/{rep.pk}/").content.decode()
    assert 'id="signed-off"' in html and "head_a" in html and "负责人签发" in html
    api = client.get(f"/api/reports/{rep.pk}").json()
    assert api["state"] == "published" and api["signed_by"] == "head_a" and api["signed_at"]
    assert AuditEntry.objects.get(subject_id=str(rep.pk), action="reports.publish").after["signed_by"] == "head_a"


def test_the_author_cannot_sign_their_own_report(world, people, report):
    shenhe, head = people["reviewer_a"], people["head_a"]
    membership_grant(user=head, body=world["a"], role=Role.CLERK)
    rep = rs.report_submit(report=_ready(report, head), actor=head)  # the 负责人 wrote it
    rep = rs.report_approve(report=rep, actor=shenhe)
    with pytest.raises(Forbidden, match="不能签发自己经手的报告"):
        rs.report_sign(report=rep, actor=head)
    # a return clears the sign-off: signed, returned, re-approved → to be signed again
    membership_grant(user=people["admin_a"], body=world["a"], role=Role.HEAD)
    rep = rs.report_sign(report=rep, actor=people["admin_a"])
    rep = rs.report_return(report=rep, actor=people["admin_a"], reason="数据更新")
    rep = rs.report_approve(report=rs.report_submit(report=rep, actor=people["clerk_a"]), actor=shenhe)
    assert rep.state == ReportState.REVIEWED
    with pytest.raises(Conflict):
        rs.report_publish(report=rep, actor=shenhe, on=dt.date(YEAR + 1, 1, 20))


def test_no_report_is_published_before_its_year_has_ended(world, people):
    """Fails before the fix: a 2026 report was published on 2026-12-05."""
    year = timezone.localdate().year
    rep = rs.report_start(body=world["a"], year=year, actor=people["clerk_a"])
    rep = rs.report_approve(report=rs.report_submit(report=_ready(rep, people["clerk_a"]), actor=people["clerk_a"]),
                            actor=people["reviewer_a"])
    rep = rs.report_sign(report=rep, actor=people["head_a"])
    with pytest.raises(Conflict, match=f"{year}年度尚未结束"):
        rs.report_publish(report=rep, actor=people["reviewer_a"])
    with pytest.raises(Conflict, match="尚未结束"):  # a stated date inside the year neither
        rs.report_publish(report=rep, actor=people["reviewer_a"], on=dt.date(year, 12, 31))
    assert AnnualReport.objects.get(pk=rep.pk).state == ReportState.SIGNED


def test_section_six_states_the_fees_recorded_in_the_ledger(world, people, make_app):
    """Fails before the fix: the fee sentence was a placeholder although a fee was recorded."""
    from gongkai.web.applications import services as aps

    app = make_app(received=dt.date(YEAR, 3, 3))
    fee = aps.fee_notice(application=app, actor=people["handler_a"], on=dt.date(YEAR, 3, 10), method="pages",
                         quantity=200)
    aps.fee_paid(application=app, actor=people["handler_a"], on=dt.date(YEAR, 3, 20), receipt_no="HLJ-0001")
    rep = rs.report_start(body=world["a"], year=YEAR, actor=people["clerk_a"])
    six = rep.report.section(6).text
    amount = f"{fee.amount:.2f}".rstrip("0").rstrip(".")
    assert f"本年度共发出收费通知1件，收取信息处理费{amount}元" in six, six
    assert "信息处理费收取情况（金额" not in six  # no placeholder left for it
    other = rs.report_start(body=world["a"], year=YEAR - 1, actor=people["clerk_a"])
    assert "本年度未收取信息处理费" in other.report.section(6).text


# --- 索引号 ------------------------------------------------------------------------------------------------------
def _publish(world, people, title: str) -> Item:
    item = _draft(world, people, title)
    cs.item_submit(item=item, actor=people["clerk_a"])
    cs.item_review(item=item, reviewer=people["reviewer_a"], approve=True, basis=BASIS)
    return cs.item_publish(item=item, actor=people["clerk_a"])


def test_index_numbers_come_from_the_code_by_the_pattern_and_are_never_reused(client, world, people):
    """Fails before the fix: GK0000003/… for a body with a code and no way to set the pattern."""
    a, admin = world["a"], people["admin_a"]
    year = timezone.localdate().year
    client.force_login(people["clerk_a"])
    draft = _draft(world, people, "尚未发布")
    assert "尚未设置统一社会信用代码" in client.get(f"/staff/catalog/{draft.pk}/").content.decode()
    fallback = _publish(world, people, "无代码时发布")
    assert fallback.index_no == f"GK{a.pk:07d}-{year}-00001"
    client.force_login(admin)
    r = client.post(f"/staff/bodies/{a.pk}/settings/", {"code": "11230103mb0000003c", "index_pattern": ""})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.code == "11230103MB0000003C"
    assert _publish(world, people, "第二条").index_no == f"11230103MB0000003C-{year}-00002"
    body_update_settings(body=a, actor=admin, index_pattern="{org}/{year}-{seq:05d}")
    third = _publish(world, people, "第三条")
    assert third.index_no == f"MB0000003/{year}-00003"
    assert client.get(f"/xxgk/item/{third.index_no}/").status_code == 200
    # a number once given is never given again: not after withdrawal, not after the item is gone and the counter
    # is set back (a restore, a changed pattern producing the same text)
    cs.item_withdraw(item=third, actor=people["reviewer_a"], reason="有误")
    Item.objects.filter(pk=third.pk).delete()
    from gongkai.web.catalog.models import IndexSerial

    IndexSerial.objects.filter(body=a, year=year).update(last=2)
    assert _publish(world, people, "第四条").index_no == f"MB0000003/{year}-00004"
    for bad, why in (("{code}-{year}", "序号"), ("{year}-{seq}", "机关代码"), ("{code.__class__}-{seq}", "只能使用"),
                     ("{code}{seq", "花括号"), ("{code} {seq}", "大写字母")):
        with pytest.raises(Invalid, match=why):
            body_update_settings(body=a, actor=admin, index_pattern=bad)
    with pytest.raises(Invalid, match="18位"):
        body_update_settings(body=a, actor=admin, code="123")
    with pytest.raises(Forbidden):
        body_update_settings(body=a, actor=people["clerk_a"], code="11230103MB0000003C")


# --- 超期未公开 ----------------------------------------------------------------------------------------------------
def test_overdue_lists_only_items_meant_for_proactive_disclosure(world, people, client):
    """Fails before the fix: the demo's internal draft and the list with ID numbers were 「超期未公开」."""
    from gongkai.web.catalog.demo import NEVER_PUBLIC, load_catalog_demo
    from gongkai.web.catalog.selectors import overdue_items

    load_catalog_demo(bodies={"七政": world["a"]}, users={"dengji": people["clerk_a"], "shenhe": people["reviewer_a"]})
    titles = {t.item.title for t in overdue_items(user=people["clerk_a"])}
    assert "七政街道2026年重点工作任务分解（待审查）" in titles  # meant for publication, 40 days unpublished
    assert "七政街道内部考勤管理办法（征求意见稿）" not in titles and "辖区困难群众名单（含身份证号）" not in titles
    assert "七政街道信访件办理台账" not in titles  # 依申请公开
    assert {d for _, _, d, _ in NEVER_PUBLIC} == {"internal", "proactive", "withheld"}
    client.force_login(people["clerk_a"])
    html = client.get("/staff/catalog/overdue/").content.decode()
    assert "内部考勤管理办法" not in html and "身份证号" not in html and "重点工作任务分解" in html


# --- publication dates -------------------------------------------------------------------------------------------
def test_an_imported_report_is_not_dated_by_the_import_day(client, world):
    """Fails before the fix: the 2023 report was listed with the day the demo imported it."""
    from gongkai.examples import load

    rep = rs.report_import_published(body=world["a"], report=load("qizheng-2023"))
    assert rep.published_on is None
    html = client.get(f"/xxgk/{world['a'].pk}/nb/").content.decode()
    assert "原文未载明" in html and timezone.localdate().isoformat() not in html
    rep = rs.report_import_published(body=world["a"], report=load("qizheng-2023"), published_on=dt.date(2024, 1, 26))
    assert rep.published_on == dt.date(2024, 1, 26)
    assert "2024-01-26" in client.get(f"/xxgk/{world['a'].pk}/nb/").content.decode()


def test_a_bad_site_index_pattern_fails_the_system_check(settings):
    from gongkai.web.catalog.apps import index_pattern_check

    assert index_pattern_check() == []
    settings.GONGKAI_INDEX_PATTERN = "{code}-{year}"
    errors = index_pattern_check()
    assert [e.id for e in errors] == ["gongkai.E101"] and "序号" in errors[0].msg
