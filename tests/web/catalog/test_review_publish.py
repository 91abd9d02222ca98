"""先审查、后公开 and 一事一审: the lifecycle of a catalog item, 索引号, audit, section 二 and timeliness."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from gongkai.law.calendar import default_calendar
from gongkai.web.audit.models import AuditEntry
from gongkai.web.catalog import services as s
from gongkai.web.catalog.models import Item, ItemState
from gongkai.web.catalog.selectors import items_public, section2_cells, timeliness
from gongkai.web.core.errors import Conflict, Forbidden, Invalid


def _draft(world, **fields):
    return s.item_create(body=world["street"], author=world["clerk"], title=fields.pop("title", "一条信息"), **fields)


def test_a_reviewer_cannot_approve_their_own_item(world):
    item = s.item_create(body=world["street"], author=world["reviewer"], title="审核人自己起草的信息")
    s.item_submit(item=item, actor=world["reviewer"])
    with pytest.raises(Forbidden):
        s.item_review(item=item, reviewer=world["reviewer"], approve=True, basis="不涉密")
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED and not item.reviews.exists()


def test_no_publication_without_review(world):
    item = _draft(world)
    with pytest.raises(Conflict):
        s.item_publish(item=item, actor=world["clerk"])
    s.item_submit(item=item, actor=world["clerk"])
    with pytest.raises(Conflict):
        s.item_publish(item=item, actor=world["clerk"])
    assert not items_public().exists()


def test_the_database_refuses_a_published_item_without_another_persons_approval(world):
    item = _draft(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(state=ItemState.PUBLISHED, index_no="X/2026-00001")
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(state=ItemState.PUBLISHED, index_no="X/2026-00001",
                                               approved_by=world["clerk"])


def test_rejection_returns_the_item_with_reasons_and_a_new_round_is_needed(world):
    item = _draft(world)
    s.item_submit(item=item, actor=world["clerk"])
    with pytest.raises(Invalid):
        s.item_review(item=item, reviewer=world["reviewer"], approve=False)  # reasons required
    s.item_review(item=item, reviewer=world["reviewer"], approve=False, reasons="含个人身份证号")
    item.refresh_from_db()
    assert item.state == ItemState.RETURNED and item.approved_by is None
    with pytest.raises(Conflict):
        s.item_publish(item=item, actor=world["clerk"])
    s.item_update(item=item, actor=world["clerk"], text="已删去个人信息")
    s.item_submit(item=item, actor=world["clerk"])
    review = s.item_review(item=item, reviewer=world["reviewer"], approve=True, basis="不涉密")
    assert review.round == 2
    item = s.item_publish(item=item, actor=world["clerk"])
    assert item.state == ItemState.PUBLISHED and list(items_public()) == [item]


def test_submitted_items_cannot_be_edited(world):
    item = _draft(world)
    s.item_submit(item=item, actor=world["clerk"])
    with pytest.raises(Conflict):
        s.item_update(item=item, actor=world["clerk"], title="偷偷改了标题")


def test_outsiders_cannot_review(world):
    item = _draft(world)
    s.item_submit(item=item, actor=world["clerk"])
    with pytest.raises(Forbidden):
        s.item_review(item=item, reviewer=world["outsider"], approve=True, basis="x")
    with pytest.raises(Forbidden):
        s.item_review(item=item, reviewer=world["clerk2"], approve=True, basis="x")  # a clerk, not a reviewer


def test_index_numbers_follow_the_rule_and_are_never_reused(world, publish):
    a = publish("第一条")
    b = publish("第二条")
    year = a.published_at.astimezone().year
    # the default pattern {code}-{year}-{seq:05d}: the body's 统一社会信用代码 as set
    assert a.index_no == f"12230103MB1234567X-{year}-00001" and b.index_no == f"12230103MB1234567X-{year}-00002"
    s.item_withdraw(item=a, actor=world["reviewer"], reason="内容有误")
    c = publish("第三条")
    assert c.index_no == f"12230103MB1234567X-{year}-00003"
    a.refresh_from_db()
    assert a.index_no.endswith("-00001") and a not in items_public()


def test_every_step_is_in_the_audit_log(world, publish):
    item = publish()
    actions = list(AuditEntry.objects.filter(subject_type="catalog.item", subject_id=str(item.pk))
                   .values_list("action", flat=True))
    assert actions == ["catalog.create", "catalog.submit", "catalog.review", "catalog.publish"]


def test_validation_messages(world):
    with pytest.raises(Invalid, match="六角括号"):
        _draft(world, doc_number="七政办发[2025]3号")
    with pytest.raises(Invalid, match="有效性"):
        _draft(world, doc_kind="normative")
    with pytest.raises(Invalid, match="理由"):
        _draft(world, disclosure="withheld")
    assert _draft(world, doc_number="国务院令第711号").doc_number == "国务院令第711号"


def test_withheld_items_are_never_published(world):
    item = _draft(world, disclosure="on_request")
    s.item_submit(item=item, actor=world["clerk"])
    s.item_review(item=item, reviewer=world["reviewer"], approve=True, basis="依申请公开")
    with pytest.raises(Conflict):
        s.item_publish(item=item, actor=world["clerk"])


def test_section_2_from_the_catalog(world, publish):
    publish("规范性文件甲", doc_kind="normative", validity="valid", written_on=dt.date(2024, 3, 1))
    publish("规范性文件乙", doc_kind="normative", validity="valid", written_on=dt.date(2025, 3, 1))
    old = publish("规范性文件丙", doc_kind="normative", validity="valid", written_on=dt.date(2022, 5, 1))
    s.item_set_validity(item=old, actor=world["clerk"], validity="repealed", on=dt.date(2025, 6, 30))
    s.figures_set(body=world["street"], year=2025, actor=world["clerk"], penalty=7, fees_wan_yuan="1.234567")
    cells = section2_cells(body=world["street"], year=2025)
    assert cells["s2.normative_docs.issued"] == 1
    assert cells["s2.normative_docs.repealed"] == 1
    assert cells["s2.normative_docs.in_force"] == 2
    assert cells["s2.rules.issued"] == 0 and cells["s2.penalty.decisions"] == 7
    assert str(cells["s2.fees.amount"]) == "1.234567"
    cells_2024 = section2_cells(body=world["street"], year=2024)
    assert cells_2024["s2.normative_docs.in_force"] == 2  # 甲 and 丙 (丙 repealed only in 2025)


def test_figures_import_from_xlsx(world):
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["年度", "行政许可", "行政处罚", "行政强制", "行政事业性收费（万元）"])
    ws.append([2024, 3, 10, 1, 0.5])
    ws.append([2025, 0, 12, 0, "2.000001"])
    buf = io.BytesIO()
    wb.save(buf)
    rows = s.figures_import_xlsx(body=world["street"], actor=world["clerk"], data=buf.getvalue())
    assert [(r.year, r.penalty, str(r.fees_wan_yuan.normalize())) for r in rows] == [(2024, 10, "0.5"),
                                                                                    (2025, 12, "2.000001")]
    with pytest.raises(Invalid, match="XLSX"):
        s.figures_import_xlsx(body=world["street"], actor=world["clerk"], data=b"not a workbook")


def test_twenty_working_days_timeliness(world):
    cal = default_calendar()
    item = _draft(world, written_on=dt.date(2024, 9, 27))  # 2024 国庆: due 2024-10-30 (law.md §3)
    t = timeliness(item, calendar=cal, today=dt.date(2024, 10, 30))
    assert t.due == dt.date(2024, 10, 30) and not t.overdue
    late = timeliness(item, calendar=cal, today=dt.date(2024, 11, 1))
    assert late.overdue and late.late_days == 2


def test_attachments_are_checked(world):
    item = _draft(world)
    with pytest.raises(Invalid):
        s.attachment_add(item=item, actor=world["clerk"], name="x.exe", data=b"MZ")
    att = s.attachment_add(item=item, actor=world["clerk"], name="方案.pdf", data=b"%PDF-1.4 test")
    assert att.content_type == "application/pdf" and att.size == 13
