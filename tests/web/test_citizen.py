"""The citizen's side (issue 12 item 5) and the reply's dates and pauses (item 2): 法人 fields and ID proof on the
form and the 申请表, the status page that answers (due date, 补正, fee, decision in plain words), online 补正 by
query code, e-mail notices, made/sent/delivered dates, force-majeure pauses and the rest-day setting."""
from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.web.applications import services as s
from gongkai.web.applications.models import Application, ApplicationFile, DeadlinePolicy, EventKind, Status
from gongkai.web.applications.validators import MAX_FILE_BYTES, clean_credit_code, uscc_check_char
from gongkai.web.audit.models import AuditEntry
from gongkai.web.core.errors import Conflict, Invalid

D = dt.date
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
PDF = b"%PDF-1.4\n" + b"0" * 100
CODE = "91350100M000100Y43"  # the example of GB 32100-2015


def _token():
    import time

    from gongkai.web.portal.services import form_token

    return form_token(now=time.time() - 10)


# --- 统一社会信用代码 --------------------------------------------------------------------------------------------

def test_credit_code_checksum():
    assert clean_credit_code(" 91350100m000100y43 ") == CODE
    assert uscc_check_char("91110000600037341") == "L"
    for bad, why in (("91350100M000100Y44", "校验位"), ("91350100M000100Y4", "18位"),
                     ("9135010OM000100Y43", "无效字符"), ("91ABCDEFM000100Y43", "行政区划")):
        with pytest.raises(Invalid, match=why):
            clean_credit_code(bad)
    assert clean_credit_code("") == ""


def test_staff_registers_an_organisation_with_id_proof(world, make_app):
    app = make_app(applicant_type="commercial", applicant_name="哈尔滨某某科技有限公司", credit_code=CODE.lower(),
                   legal_representative="李四", contact_name="王五", id_proof=[("营业执照.pdf", PDF)])
    assert (app.credit_code, app.legal_representative, app.contact_name) == (CODE, "李四", "王五")
    f = app.files.get()
    assert (f.kind, f.name, f.content_type, f.size) == ("id_proof", "营业执照.pdf", "application/pdf", len(PDF))
    assert app.events.get(kind=EventKind.RECEIVED).data["files"] == ["营业执照.pdf"]
    with pytest.raises(Invalid, match="校验位"):
        make_app(applicant_type="commercial", applicant_name="某公司", credit_code="91350100M000100Y44")


def test_uploads_are_checked_by_type_content_size_and_number(world, make_app):
    from gongkai.web.applications.validators import TooLarge

    n = ApplicationFile.objects.count()
    with pytest.raises(Invalid, match="类型不受理"):
        make_app(id_proof=[("a.exe", b"MZ")])
    with pytest.raises(Invalid, match="内容与扩展名不符"):
        make_app(id_proof=[("身份证.pdf", b"MZ\x90\x00 not a pdf")])
    with pytest.raises(TooLarge) as exc:
        make_app(id_proof=[("big.pdf", b"%PDF-" + b"0" * MAX_FILE_BYTES)])
    assert exc.value.status == 413
    with pytest.raises(Invalid, match="最多上传5个"):
        make_app(id_proof=[(f"{i}.png", PNG) for i in range(6)])
    with pytest.raises(Invalid, match="空文件"):
        make_app(id_proof=[("a.png", b"")])
    assert ApplicationFile.objects.count() == n and Application.objects.count() == 0


# --- the public form and the 申请表 ------------------------------------------------------------------------------

def _apply_post(client, body, **over):
    data = {"applicant_type": "commercial", "applicant_name": "哈尔滨某某科技有限公司", "credit_code": CODE,
            "legal_representative": "李四", "contact_name": "王五", "id_type": "居民身份证",
            "id_number": "230103199001011234", "contact_phone": "0451-12345678", "contact_email": "wang@example.com",
            "contact_address": "哈尔滨市南岗区某路1号", "postcode": "150080",
            "description": "七政街道2026年老旧小区改造项目的招标文件", "requested_form": "electronic",
            "delivery": "email", "website": "", "token": _token()} | over
    return client.post(f"/xxgk/{body.pk}/ysqgk/apply/", data, REMOTE_ADDR=over.pop("ip", "10.0.0.1"))


def test_public_form_takes_an_organisation_and_its_id_proof(world, client, django_capture_on_commit_callbacks):
    body = world["a"]
    r = client.get(f"/xxgk/{body.pk}/ysqgk/apply/")
    page = r.content.decode()
    assert all(x in page for x in ("统一社会信用代码", "法定代表人", "联系人姓名", "身份证明", 'enctype="multipart/form-data"'))
    r = _apply_post(client, body, applicant_type="commercial", credit_code="", legal_representative="",
                    contact_name="")
    page = r.content.decode()
    assert r.status_code == 422 and "法人或其他组织请填写统一社会信用代码" in page and "请填写联系人姓名" in page
    r = _apply_post(client, body, credit_code="91350100M000100Y44")
    assert r.status_code == 422 and "校验位不正确" in r.content.decode()
    r = _apply_post(client, body, id_proof=SimpleUploadedFile("执照.exe", b"MZ"))
    assert r.status_code == 422 and "类型不受理" in r.content.decode() and Application.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        r = _apply_post(client, body, id_proof=[SimpleUploadedFile("营业执照.pdf", PDF),
                                                SimpleUploadedFile("联系人身份证.jpg", b"\xff\xd8\xff" + b"0" * 50)])
    assert r.status_code == 200 and "申请已提交" in r.content.decode()
    app = Application.objects.get()
    assert (app.channel, app.credit_code, app.contact_name) == ("online", CODE, "王五")
    assert sorted(app.files.values_list("name", flat=True)) == ["联系人身份证.jpg", "营业执照.pdf"]
    # the registration notice went to the address given, in Chinese, addressed to the contact
    assert len(mail.outbox) == 1
    m = mail.outbox[0]
    assert m.to == ["wang@example.com"] and m.subject.startswith("【南岗区七政街道办事处】") and "已收到您的申请" in m.subject
    assert m.body.startswith("王五：") and app.query_code in m.body and "答复期限" in m.body


def test_the_docx_application_form_has_the_organisation_fields(world, client):
    from docx import Document

    r = client.get(f"/xxgk/{world['a'].pk}/ysqgk/form.docx")
    doc = Document(io.BytesIO(r.content))
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    for label in ("公民", "法人或其他组织", "统一社会信用代码", "法定代表人或负责人", "联系人姓名", "身份证明"):
        assert any(label in c for c in cells), label


# --- the status page --------------------------------------------------------------------------------------------

PERSONAL = ("张三", "230103199001011234", "13900001111", "zhang@example.com", "某路1号")


def _natural(make_app, **kw):
    return make_app(applicant_name="张三", id_number="230103199001011234", contact_phone="13900001111",
                    contact_email="zhang@example.com", contact_address="哈尔滨市某路1号", **kw)


def test_status_page_says_what_to_correct_and_by_when(world, make_app, client):
    app = _natural(make_app, received=D(2024, 3, 4))
    s.correction_notice(application=app, actor=world["users"]["handler_a"], on=D(2024, 3, 6),
                        items="请写明所需文件的文号或发文日期", reply_by=D(2024, 3, 20))
    page = client.get(f"/ysqgk/query/?code={app.query_code}").content.decode()
    assert "需要补正" in page and "请写明所需文件的文号或发文日期" in page and "2024年3月20日" in page
    assert "在线补正" in page and "自收到补正之日起重新计算" in page
    assert not any(p in page for p in PERSONAL)


def test_status_page_gives_the_fee_and_how_to_pay(world, make_app, client):
    app = _natural(make_app, received=D(2024, 3, 4))
    s.fee_notice(application=app, actor=world["users"]["handler_a"], on=D(2024, 3, 6), method="pages", quantity=120,
                 notice_received_on=D(2024, 3, 8))
    page = client.get(f"/ysqgk/query/?code={app.query_code}").content.decode()
    assert "信息处理费" in page and "1100.00 元" in page and "按量计收" in page  # 70×10 + 20×20 (109号)
    assert "2024年4月8日" in page  # 20 working days from the day after 8 March (清明 4–6 April)
    assert "缴费方式" in page and "财政票据" in page
    assert not any(p in page for p in PERSONAL)
    for url in (f"/api/portal/status?code={app.query_code}", f"/api/applications/public/{app.query_code}"):
        fee = client.get(url).json()["fee"]
        assert (fee["amount"], fee["pay_by"], fee["method"]) == ("1100.00", "2024-04-08", "按量计收"), url


def test_status_page_words_the_decision_plainly_with_the_reply_dates(world, make_app, client):
    app = _natural(make_app, received=D(2024, 3, 4))
    s.decision_record(application=app, actor=world["users"]["reviewer_a"], on=D(2024, 3, 20), reply_type="partial",
                      summary="第三方商业秘密部分不予公开", sent_on=D(2024, 3, 21), delivered_on=D(2024, 3, 23))
    page = client.get(f"/ysqgk/query/?code={app.query_code}").content.decode()
    assert "部分公开：您申请的政府信息中可以公开的部分予以提供" in page
    assert "区分处理的，只计这一情形" not in page and "（二）部分公开" not in page  # never the statistics label
    assert "2024年3月20日" in page and "2024年3月21日" in page and "2024年3月23日" in page
    assert "文书下载" in page
    assert not any(p in page for p in PERSONAL) and "第三方商业秘密" not in page  # nor the reply's text


def test_status_page_shows_a_provisional_due_date_with_its_reason(world, make_app, client):
    from gongkai.web.clock.models import CalendarYear

    if CalendarYear.objects.filter(year=2027).exists():
        pytest.skip("the 2027 notice is seeded here")
    app = make_app(received=D(2026, 12, 4))
    page = client.get(f"/ysqgk/query/?code={app.query_code}").content.decode()
    assert "（预计）" in page and "2027年放假安排尚未录入" in page


# --- online correction ------------------------------------------------------------------------------------------

def _noticed(world, make_app):
    received = D(2024, 3, 4)
    app = _natural(make_app, received=received)
    return s.correction_notice(application=app, actor=world["users"]["handler_a"], on=received,
                               items="请写明文号", reply_by=received + dt.timedelta(days=14))


def test_online_correction_records_it_restarts_the_clock_and_confirms(world, make_app, client, settings,
                                                                     django_capture_on_commit_callbacks):
    from django.utils import timezone

    app = _noticed(world, make_app)
    assert app.due_on is None
    data = {"code": app.query_code.replace("-", "").lower(), "text": "所需文件为七政发〔2023〕5号", "website": "",
            "token": _token(), "files": [SimpleUploadedFile("补充说明.pdf", PDF)]}
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/ysqgk/query/correct/", data, REMOTE_ADDR="10.0.0.2")
    page = r.content.decode()
    assert r.status_code == 200 and "补正已提交" in page and "答复期限自收到补正之日起重新计算" in page
    app.refresh_from_db()
    today = timezone.localdate()
    assert app.status == Status.OPEN and app.due_on is not None and app.due_on > today
    ev = app.events.get(kind=EventKind.CORRECTION_RECEIVED)
    assert ev.on == today and ev.data == {"text": "所需文件为七政发〔2023〕5号", "files": ["补充说明.pdf"], "online": True}
    assert app.files.get().kind == "correction"
    audit = AuditEntry.objects.filter(action="application.correction_received").get()
    assert audit.note == "申请人网上提交补正" and audit.after["status"] == "open"
    assert "收到补正后的申请" in app.deadline_text
    assert [m.subject.split("：")[-1] for m in mail.outbox] == ["已收到您的补正"]
    # a second correction is refused: the case no longer waits for one
    data["token"] = _token()
    r = client.post("/ysqgk/query/correct/", data, REMOTE_ADDR="10.0.0.2")
    page = r.content.decode()
    assert r.status_code == 409 and "该申请当前不需要补正" in page and "在线补正" not in page
    assert app.events.filter(kind=EventKind.CORRECTION_RECEIVED).count() == 1


def test_online_correction_refuses_empty_bad_files_and_unknown_codes(world, make_app, client):
    app = _noticed(world, make_app)
    base = {"code": app.query_code, "website": "", "text": ""}
    r = client.post("/ysqgk/query/correct/", {**base, "token": _token()}, REMOTE_ADDR="10.0.0.3")
    assert r.status_code == 422 and "请填写补正内容或上传补正材料" in r.content.decode()
    r = client.post("/ysqgk/query/correct/", {**base, "token": _token(),
                                              "files": [SimpleUploadedFile("x.png", b"GIF89a")]}, REMOTE_ADDR="10.0.0.3")
    assert r.status_code == 422 and "内容与扩展名不符" in r.content.decode()
    big = SimpleUploadedFile("x.pdf", b"%PDF-" + b"0" * MAX_FILE_BYTES)
    r = client.post("/ysqgk/query/correct/", {**base, "token": _token(), "files": [big]}, REMOTE_ADDR="10.0.0.3")
    assert r.status_code == 413 and "过大" in r.content.decode()
    r = client.post("/ysqgk/query/correct/", {**base, "code": "AAAA-BBBB-CCCC", "text": "x", "token": _token()},
                    REMOTE_ADDR="10.0.0.3")
    assert r.status_code == 404
    app.refresh_from_db()
    assert app.status == Status.CORRECTION and not app.files.exists()


def test_correction_without_a_notice_is_a_conflict(world, make_app):
    app = make_app()
    with pytest.raises(Conflict, match="不需要补正"):
        s.correction_submit_online(query_code=app.query_code, text="补充")


# --- e-mail notices ---------------------------------------------------------------------------------------------

def test_a_notice_at_each_step_and_none_without_an_address(world, make_app, django_capture_on_commit_callbacks):
    u = world["users"]
    with django_capture_on_commit_callbacks(execute=True):
        app = _natural(make_app, received=D(2024, 3, 4))
        s.correction_notice(application=app, actor=u["handler_a"], on=D(2024, 3, 5), items="请写明文号",
                            reply_by=D(2024, 3, 19))
        s.correction_received(application=app, actor=u["handler_a"], on=D(2024, 3, 6))
        s.extension_grant(application=app, actor=u["head_a"], on=D(2024, 3, 20), days=10, reason="需调取档案")
        s.fee_notice(application=app, actor=u["handler_a"], on=D(2024, 3, 21), method="pages", quantity=40)
        s.fee_paid(application=app, actor=u["handler_a"], on=D(2024, 3, 22), receipt_no="票据1")
        s.decision_record(application=app, actor=u["reviewer_a"], on=D(2024, 3, 25), reply_type="granted",
                          sent_on=D(2024, 3, 26))
        make_app(applicant_name="李四")  # no address: no mail
        withdrawn = _natural(make_app, received=D(2024, 3, 4))
        s.application_lapse(application=withdrawn, actor=u["handler_a"], on=D(2024, 3, 5), reason="withdrawn")
    subjects = [m.subject.split("：", 1)[1] for m in mail.outbox]
    assert subjects == ["已收到您的申请", "请补正申请内容", "已收到您的补正", "答复期限已延长", "信息处理费缴纳通知",
                        "已作出答复", "已收到您的申请", "申请已办结"]
    assert all(m.to == ["zhang@example.com"] for m in mail.outbox)
    assert "办理终结（例如申请人已撤回申请）" in mail.outbox[-1].body
    bodies = [m.body for m in mail.outbox[:6]]
    assert "请写明文号" in bodies[1] and "2024年3月19日前补正" in bodies[1]
    assert "100.00元" in bodies[4] and "缴费" in bodies[4]
    assert "予以公开" in bodies[5] and "（一）予以公开" not in bodies[5]
    for b in bodies:  # no staff names, no one else's data
        assert not any(x in b for x in ("handler_a", "reviewer_a", "head_a", "李四"))


def test_a_failed_mail_never_loses_the_change(world, make_app, monkeypatch, caplog,
                                              django_capture_on_commit_callbacks):
    from django.core.mail.backends.locmem import EmailBackend

    def boom(self, messages):
        raise OSError("SMTP 服务器不可用")

    monkeypatch.setattr(EmailBackend, "send_messages", boom)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        app = _natural(make_app, received=D(2024, 3, 4))
    assert Application.objects.filter(pk=app.pk, status=Status.OPEN).exists()
    assert "could not be sent" in caplog.text


# --- the reply's dates ------------------------------------------------------------------------------------------

def test_the_deadline_is_measured_by_the_sent_date(world, make_app, client):
    u = world["users"]
    app = make_app(received=D(2024, 3, 4))  # due 2024-04-01
    assert app.due_on == D(2024, 4, 1)
    app = s.decision_record(application=app, actor=u["reviewer_a"], on=D(2024, 3, 29), reply_type="granted",
                            sent_on=D(2024, 4, 2))  # made in time, sent a working day late
    assert (app.reply_on, app.reply_sent_on, app.closed_on, app.reply_delivered_on) == (
        D(2024, 3, 29), D(2024, 4, 2), D(2024, 4, 2), None)
    assert "已超过答复期限" in app.deadline_text and "以发出之日衡量" in app.deadline_text
    app = s.reply_delivered(application=app, actor=u["handler_a"], on=D(2024, 4, 7))
    assert app.reply_delivered_on == D(2024, 4, 7) and "2024年4月7日（星期日）送达" in app.deadline_text
    assert app.events.filter(kind=EventKind.REPLY_DELIVERED).count() == 1
    assert AuditEntry.objects.filter(action="application.delivered").exists()
    with pytest.raises(Conflict, match="已登记送达"):
        s.reply_delivered(application=app, actor=u["handler_a"], on=D(2024, 4, 8))
    client.force_login(u["handler_a"])
    page = client.get(f"/staff/cases/{app.pk}/").content.decode()
    assert "以发出（交邮、发送或当面交付）之日衡量是否在答复期限内" in page
    assert "2024-03-29" in page and "2024-04-02" in page and "2024-04-07" in page


def test_reply_dates_must_be_in_order(world, make_app):
    u = world["users"]
    with pytest.raises(Invalid, match="发出日期不能早于作出日期"):
        s.decision_record(application=make_app(), actor=u["reviewer_a"], on=D(2024, 3, 20), reply_type="granted",
                          sent_on=D(2024, 3, 19))
    with pytest.raises(Invalid, match="送达日期不能早于发出日期"):
        s.decision_record(application=make_app(), actor=u["reviewer_a"], on=D(2024, 3, 20), reply_type="granted",
                          sent_on=D(2024, 3, 21), delivered_on=D(2024, 3, 20))
    app = s.decision_record(application=make_app(), actor=u["handler_a"], on=D(2024, 3, 20), reply_type="granted")
    app = s.decision_approve(application=app, actor=u["reviewer_a"], sent_on=D(2024, 3, 22))
    assert (app.reply_on, app.reply_sent_on, app.closed_on) == (D(2024, 3, 20), D(2024, 3, 22), D(2024, 3, 22))


# --- force majeure and the rest-day setting ---------------------------------------------------------------------

def test_a_recorded_pause_needs_the_setting_a_reason_and_moves_the_deadline(world, make_app, client):
    u = world["users"]
    app = make_app(received=D(2024, 3, 4))
    assert app.due_on == D(2024, 4, 1)
    kw = {"start": D(2024, 3, 11), "end": D(2024, 3, 15), "note": "疫情封控，办公场所关闭", "approved_by": "赵主任"}
    with pytest.raises(Conflict, match="未启用"):
        s.pause_record(application=app, actor=u["handler_a"], **kw)
    client.force_login(u["handler_a"])
    assert "记录不可抗力" not in client.get(f"/staff/cases/{app.pk}/").content.decode()
    # the body's 管理员 turns it on (a handler may not)
    r = client.post(f"/staff/cases/deadline-settings/{world['a'].pk}/",
                    {"rest_day_next_working_day": "on", "allow_other_pauses": "on"})
    assert r.status_code == 403
    client.force_login(u["admin_a"])
    r = client.post(f"/staff/cases/deadline-settings/{world['a'].pk}/",
                    {"rest_day_next_working_day": "on", "allow_other_pauses": "on"})
    assert r.status_code == 302 and DeadlinePolicy.objects.get(body=world["a"]).allow_other_pauses
    with pytest.raises(Invalid, match="原因"):
        s.pause_record(application=app, actor=u["handler_a"], **(kw | {"note": " "}))
    client.force_login(u["handler_a"])
    r = client.post(f"/staff/cases/{app.pk}/actions/pause_record/",
                    {"start": "2024-03-11", "end": "2024-03-15", "note": kw["note"], "approved_by": "赵主任"})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.due_on == D(2024, 4, 9)  # five working days not counted (清明 4 April still off)
    assert "疫情封控，办公场所关闭" in app.deadline_text and "赵主任" in app.deadline_text
    audit = AuditEntry.objects.get(action="application.pause_record")
    assert (audit.before["due_on"], audit.after["due_on"]) == ("2024-04-01", "2024-04-09")
    # over the API too (a second period, one working day)
    r = client.post(f"/api/applications/{app.pk}/pause-record", {"start": "2024-03-18", "end": "2024-03-18",
                    "note": "停电，系统无法使用", "approved_by": "赵主任"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["due_on"] == "2024-04-10", r.content
    app.refresh_from_db()
    # turned off later, the recorded pause still counts (the history stays possible)
    s.deadline_policy_save(body=world["a"], actor=u["admin_a"], rest_day_next_working_day=True,
                           allow_other_pauses=False)
    app = s.extension_grant(application=app, actor=u["head_a"], on=D(2024, 3, 20), days=5, reason="档案调取")
    assert app.due_on == D(2024, 4, 17)
    with pytest.raises(Conflict, match="未启用"):
        s.pause_record(application=app, actor=u["handler_a"], **kw)


def test_the_rest_day_rule_can_be_turned_off_and_open_deadlines_follow(world, make_app):
    u = world["users"]
    sunday = make_app(received=D(2024, 3, 3), channel="email", confirmed_on=D(2024, 3, 3))
    assert sunday.due_on == D(2024, 4, 1)  # received Monday 4 March, as courts count
    s.deadline_policy_save(body=world["a"], actor=u["admin_a"], rest_day_next_working_day=False,
                           allow_other_pauses=False)
    sunday.refresh_from_db()
    assert sunday.due_on == D(2024, 3, 29)  # counted from the Sunday itself
    assert sunday.events.filter(kind=EventKind.DEADLINE_CHANGED).exists()
    assert AuditEntry.objects.filter(action="applications.deadline_policy").exists()
    assert AuditEntry.objects.filter(action="application.deadline_recomputed", subject_id=str(sunday.pk)).exists()


def test_the_demo_file_backend_keeps_each_notice_in_the_data_dir(world, make_app, settings, tmp_path,
                                                                 django_capture_on_commit_callbacks):
    import email
    from email.header import decode_header, make_header

    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    with django_capture_on_commit_callbacks(execute=True):
        app = _natural(make_app, received=D(2024, 3, 4))
    [f] = (tmp_path / "mail").iterdir()
    msg = email.message_from_bytes(f.read_bytes())
    assert str(make_header(decode_header(msg["Subject"]))).endswith("已收到您的申请") and msg["To"] == "zhang@example.com"
    assert app.query_code in msg.get_payload(decode=True).decode("utf-8")


def test_the_staff_registration_form_takes_an_organisation_and_its_id_proof(world, client):
    client.force_login(world["users"]["clerk_a"])
    page = client.get("/staff/cases/new/").content.decode()
    assert 'enctype="multipart/form-data"' in page and "统一社会信用代码" in page and "法定代表人" in page
    data = {"body": world["a"].pk, "channel": "in_person", "submitted_on": "2024-03-04", "applicant_type": "research",
            "applicant_name": "某某研究院", "credit_code": "91350100M000100Y44", "legal_representative": "李四",
            "contact_name": "王五", "description": "有关科研项目的立项文件", "requested_form": "any", "delivery": "post"}
    r = client.post("/staff/cases/new/", data)
    assert r.status_code == 200 and "统一社会信用代码校验位不正确" in r.content.decode()
    r = client.post("/staff/cases/new/", data | {"credit_code": CODE, "id_proof": SimpleUploadedFile("登记证书.pdf", PDF)})
    assert r.status_code == 302
    app = Application.objects.get()
    assert (app.credit_code, app.legal_representative, app.contact_name) == (CODE, "李四", "王五")
    assert app.files.get().name == "登记证书.pdf"
    page = client.get(r["Location"]).content.decode()
    assert CODE in page and "身份证明：登记证书.pdf" in page
    r = client.get(f"/staff/cases/{app.pk}/files/{app.files.get().pk}/")
    assert r.status_code == 200 and r.content == PDF and r["X-Content-Type-Options"] == "nosniff"
