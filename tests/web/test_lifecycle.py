"""The application lifecycle through the services, against the law.md worked examples (2024 calendar)."""
from __future__ import annotations

import datetime as dt

import pytest

from gongkai.web.applications import services as s
from gongkai.web.applications.models import CaseEvent, EventKind, Status
from gongkai.web.applications.selectors import application_hints, application_public_status
from gongkai.web.audit.models import AppendOnly, AuditEntry
from gongkai.web.audit.selectors import audit_for
from gongkai.web.core.errors import Conflict, Forbidden, Invalid

D = dt.date


def test_register_numbers_per_body_and_year(world, make_app):
    first, second = make_app(), make_app(received=D(2024, 3, 5))
    other = make_app(body=world["b"])
    later = make_app(received=D(2025, 1, 6))
    assert (first.number, second.number) == ("七政〔2024〕依申第1号", "七政〔2024〕依申第2号")
    assert other.number == "革新〔2024〕依申第1号"
    assert later.number == "七政〔2025〕依申第1号"
    assert len({first.query_code, second.query_code, other.query_code}) == 3
    assert first.due_on == D(2024, 4, 1)
    assert "20个工作日" in first.deadline_text


@pytest.mark.parametrize(("channel", "extra", "received"), [
    ("in_person", {}, D(2024, 3, 4)),
    ("oral", {}, D(2024, 3, 4)),
    ("registered_mail", {"signed_for_on": D(2024, 3, 6)}, D(2024, 3, 6)),
    ("ordinary_mail", {"confirmed_on": D(2024, 3, 8)}, D(2024, 3, 8)),
    ("online", {"confirmed_on": D(2024, 3, 5)}, D(2024, 3, 5)),
])
def test_receipt_date_by_channel(make_app, channel, extra, received):
    assert make_app(channel=channel, **extra).received_on == received


def test_registered_mail_without_signature_date_is_invalid(make_app):
    with pytest.raises(Invalid) as err:
        make_app(channel="registered_mail")
    assert "signed_for_on" in err.value.details


def test_correction_restarts_and_extension(world, make_app):
    """law.md: received Mon 2024-03-04, corrected Wed 2024-03-20 → 2024-04-18; extended by 20 → 2024-05-17."""
    u = world["users"]
    app = make_app()
    app = s.correction_notice(application=app, actor=u["handler_a"], on=D(2024, 3, 6), items="请补充文号")
    assert app.status == Status.CORRECTION and app.due_on is None
    app = s.correction_received(application=app, actor=u["handler_a"], on=D(2024, 3, 20))
    assert app.due_on == D(2024, 4, 18)
    with pytest.raises(Forbidden):
        s.extension_grant(application=app, actor=u["handler_a"], on=D(2024, 4, 10), days=20, reason="量大")
    app = s.extension_grant(application=app, actor=u["head_a"], on=D(2024, 4, 10), days=20, reason="量大")
    assert app.due_on == D(2024, 5, 17)
    with pytest.raises(Invalid, match="只能延长一次"):
        s.extension_grant(application=app, actor=u["head_a"], on=D(2024, 4, 11), days=5, reason="再延")
    kinds = list(app.events.values_list("kind", flat=True))
    assert kinds == ["received", "correction_notice", "correction_received", "extended"]


def test_national_day_example(make_app):
    assert make_app(received=D(2024, 9, 27)).due_on == D(2024, 10, 30)


def test_pause_is_not_counted(world, make_app):
    u = world["users"]
    app = make_app()  # due 2024-04-01 without the pause
    app = s.pause_start(application=app, actor=u["handler_a"], on=D(2024, 3, 11), reason="third_party", party="某公司")
    assert app.status == Status.CONSULTING
    app = s.pause_end(application=app, actor=u["handler_a"], on=D(2024, 3, 15))
    assert app.status == Status.OPEN and app.due_on > D(2024, 4, 1)
    assert "暂停" in app.deadline_text or "不计" in app.deadline_text


def test_transitions_are_enforced(world, make_app):
    u = world["users"]
    app = make_app()
    with pytest.raises(Conflict):
        s.correction_received(application=app, actor=u["handler_a"], on=D(2024, 3, 5))
    with pytest.raises(Conflict):
        s.decision_approve(application=app, actor=u["reviewer_a"])
    with pytest.raises(Conflict):
        s.application_lapse(application=app, actor=u["handler_a"], on=D(2024, 3, 8), reason="no_fee")
    with pytest.raises(Forbidden):
        s.correction_notice(application=app, actor=u["clerk_a"], on=D(2024, 3, 5), items="x")
    with pytest.raises(Invalid):
        s.decision_record(application=app, actor=u["handler_a"], on=D(2024, 3, 8), reply_type="denied")


def test_draft_review_and_close(world, make_app):
    u = world["users"]
    app = s.decision_record(application=make_app(), actor=u["handler_a"], on=D(2024, 3, 20), reply_type="partial",
                            summary="部分公开")
    assert app.status == Status.REVIEW and app.closed_on is None
    app = s.decision_return(application=app, actor=u["reviewer_a"], reason="依据不足")
    assert app.status == Status.OPEN and app.reply_type == ""
    app = s.decision_record(application=app, actor=u["handler_a"], on=D(2024, 3, 21), reply_type="partial")
    app = s.decision_approve(application=app, actor=u["reviewer_a"])
    assert (app.status, app.closed_on, app.reply_type) == (Status.CLOSED, D(2024, 3, 21), "partial")
    with pytest.raises(Conflict):
        s.correction_notice(application=app, actor=u["handler_a"], on=D(2024, 3, 22), items="x")


def test_close_before_last_event_is_refused(world, make_app):
    u = world["users"]
    app = s.pause_start(application=make_app(), actor=u["handler_a"], on=D(2024, 3, 11), reason="inter_body")
    app = s.pause_end(application=app, actor=u["handler_a"], on=D(2024, 3, 20))
    with pytest.raises(Invalid):
        s.decision_record(application=app, actor=u["reviewer_a"], on=D(2024, 3, 2), reply_type="granted")


@pytest.mark.parametrize(("method", "quantity", "amount"), [("pages", 101, "720"), ("pages", 250, "4700"),
                                                             ("items", 11, "100")])
def test_fee_notice_and_payment(world, make_app, method, quantity, amount):
    u = world["users"]
    app = make_app()
    fee = s.fee_notice(application=app, actor=u["handler_a"], on=D(2024, 3, 8), method=method, quantity=quantity)
    assert fee.amount == int(amount)
    app.refresh_from_db()
    assert app.status == Status.FEE
    with pytest.raises(Conflict):
        s.fee_notice(application=app, actor=u["handler_a"], on=D(2024, 3, 8), method="pages", quantity=200)
    fee = s.fee_paid(application=app, actor=u["handler_a"], on=D(2024, 3, 15), receipt_no="黑财票000123")
    app.refresh_from_db()
    assert app.status == Status.OPEN and fee.receipt_no == "黑财票000123"
    assert app.due_on > D(2024, 4, 1)  # the wait for payment is not counted


def test_fee_in_free_range_is_refused(world, make_app):
    with pytest.raises(Invalid):
        s.fee_notice(application=make_app(), actor=world["users"]["handler_a"], on=D(2024, 3, 8), method="pages",
                     quantity=30)


@pytest.mark.parametrize(("status_action", "reason", "row"), [
    ("correction", "no_correction", "other.no_correction"),
    ("fee", "no_fee", "other.no_fee"),
    (None, "withdrawn", "other.other"),
])
def test_lapse_rows(world, make_app, status_action, reason, row):
    u = world["users"]
    app = make_app()
    if status_action == "correction":
        app = s.correction_notice(application=app, actor=u["handler_a"], on=D(2024, 3, 5), items="文号",
                                  reply_by=D(2024, 3, 15))
    elif status_action == "fee":
        s.fee_notice(application=app, actor=u["handler_a"], on=D(2024, 3, 5), method="pages", quantity=100)
    app = s.application_lapse(application=app, actor=u["handler_a"], on=D(2024, 4, 20), reason=reason)
    assert (app.status, app.reply_type) == (Status.CLOSED, row)


def test_hints_duplicate_and_public_status(world, make_app):
    first = make_app(description="七政街道2023年部门预算及三公经费")
    second = make_app(description="七政街道 2023年 部门预算及三公经费情况", received=D(2024, 3, 6))
    hints = application_hints(application=second)
    assert any(first.number in h and "重复" in h for h in hints)
    assert application_hints(application=make_app(applicant_name="李四", description="完全不同的内容")) == []
    status = application_public_status(query_code=second.query_code.replace("-", "").lower())
    assert status["number"] == second.number and status["status"] == "open"
    assert "applicant_name" not in status and "张三" not in str(status)
    assert application_public_status(query_code="NOPE-NOPE-NOPE") is None


def test_public_online_registration(world):
    app = s.application_register(body=world["a"], channel="online", submitted_on=D(2024, 3, 4),
                                 applicant_type="legal_service", applicant_name="某律师事务所", description="某文件")
    assert app.received_on == D(2024, 3, 4) and app.created_by is None
    with pytest.raises(Invalid):
        s.application_register(body=world["a"], channel="in_person", submitted_on=D(2024, 3, 4),
                               applicant_type="natural", applicant_name="x", description="y")


def test_audit_log_records_and_is_append_only(world, make_app):
    app = s.correction_notice(application=make_app(), actor=world["users"]["handler_a"], on=D(2024, 3, 5), items="x")
    entries = list(audit_for(subject=app))
    assert [e.action for e in entries] == ["application.register", "application.correction_notice"]
    last = entries[-1]
    assert last.actor_name == "handler_a" and last.before["status"] == "open" and last.after["status"] == "correction"
    with pytest.raises(AppendOnly):
        last.save()
    with pytest.raises(AppendOnly):
        last.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=last.pk).update(note="x")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    assert CaseEvent.objects.filter(application=app, kind=EventKind.CORRECTION_NOTICE).count() == 1


@pytest.mark.parametrize(("outcomes", "primary", "row"), [
    (["granted", "denied.third_party"], "", "partial"),
    (["granted", "unable.not_held", "denied.process_info"], "granted", "partial"),
    (["unable.not_held", "unable.not_held"], "", "unable.not_held"),
    (["unable.not_held", "denied.process_info"], "denied.process_info", "denied.process_info"),
])
def test_several_outcomes_land_in_one_row(world, make_app, outcomes, primary, row):
    app = s.decision_record(application=make_app(), actor=world["users"]["reviewer_a"], on=D(2024, 3, 20),
                            reply_type=primary, outcomes=outcomes)
    assert app.reply_type == row


def test_several_non_disclosing_outcomes_need_a_primary(world, make_app):
    with pytest.raises(Invalid, match="主要结果"):
        s.decision_record(application=make_app(), actor=world["users"]["reviewer_a"], on=D(2024, 3, 20),
                          outcomes=["unable.not_held", "denied.process_info"])


def test_audit_log_is_append_only_in_the_database(world, make_app):
    """Triggers on PostgreSQL and SQLite (issue 13, point 7: SQLite had only the model's guards)."""
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError, connection, transaction

    app = make_app()
    entry = audit_for(subject=app).first()
    for sql in ("UPDATE audit_auditentry SET note = 'x' WHERE id = %s", "DELETE FROM audit_auditentry WHERE id = %s"):
        with pytest.raises(DatabaseError, match="审计日志只能追加"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [entry.pk])
    clerk = get_user_model().objects.get(username="clerk_a")
    clerk.delete()  # SET_NULL on the actor is allowed; the name stays
    entry = audit_for(subject=app).first()
    assert entry.actor_id is None and entry.actor_name == "clerk_a"


def test_registration_form_hints(world, make_app, client):
    first = make_app(description="七政街道2023年部门预算及三公经费")
    client.force_login(world["users"]["clerk_a"])
    q = {"body": world["a"].pk, "applicant_name": "张三", "description": "七政街道2023年部门预算及三公经费情况"}
    r = client.get("/staff/cases/new/hints/", q, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and first.number in r.content.decode()
    r = client.get("/staff/cases/new/hints/", {**q, "applicant_name": "李四"})
    assert "hint" not in r.content.decode()
    client.force_login(world["users"]["all_b"])
    assert client.get("/staff/cases/new/hints/", q).status_code == 404


def test_fee_by_items_counts_the_month_from_the_ledger(world, make_app):
    """109号 按件: the 11th application of the month costs 100 元, the 31st 200 元 (law.md §4)."""
    apps = [make_app(received=D(2024, 3, 1 + i % 20), description=f"第{i}件") for i in range(31)]
    make_app(received=D(2024, 2, 28), description="上月的一件")  # another month: not counted
    ordered = sorted(apps, key=lambda a: (a.received_on, a.pk))
    fee11 = s.fee_notice(application=ordered[10], actor=world["users"]["handler_a"], on=D(2024, 3, 25),
                         method="items", quantity=1)
    assert (fee11.already, fee11.amount) == (10, 100)
    fee31 = s.fee_notice(application=ordered[30], actor=world["users"]["handler_a"], on=D(2024, 3, 25),
                         method="items", quantity=1)
    assert (fee31.already, fee31.amount) == (30, 200)
    with pytest.raises(Invalid):  # the 10th is free
        s.fee_notice(application=ordered[9], actor=world["users"]["handler_a"], on=D(2024, 3, 25), method="items",
                     quantity=1)


def test_decision_form_with_several_outcomes(world, make_app, client):
    app = make_app()
    client.force_login(world["users"]["reviewer_a"])
    r = client.post(f"/staff/cases/{app.pk}/actions/decision/", {"on": "2024-03-20"})
    assert r.status_code == 422 and "请选择答复类型" in r.content.decode()
    r = client.post(f"/staff/cases/{app.pk}/actions/decision/",
                    {"on": "2024-03-20", "outcomes": ["granted", "denied.third_party"]})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.reply_type == "partial"
    assert app.events.get(kind="closed").data["reply_type"] == "partial"
