"""In a real browser (Debian chromium), the citizen's journeys of issue 12: a company applies online with its
法人 fields and ID proof, follows the status page, answers the 补正 online and reads the reply; a December
application shows a 预计 deadline that becomes final when the administrator enters the 2027 notice."""
from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from django.utils import timezone

from gongkai.web.applications import services as s
from gongkai.web.applications.models import Application, EventKind, Status
from gongkai.web.letters.services import letter_issue

from .browser import SHOTS, browser_page, shot
from .test_browser import _login

pytestmark = [pytest.mark.browser, pytest.mark.slow]
D = dt.date
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def page(monkeypatch):
    from gongkai.web.portal import services as portal_services

    monkeypatch.setattr(portal_services, "MIN_SECONDS", 0)  # a script fills the form faster than a person
    with browser_page() as p:
        yield p


def _files(tmp_path, *names_contents):
    out = []
    for name, content in names_contents:
        f = tmp_path / name
        f.write_bytes(content)
        out.append(str(f))
    return out


def test_a_company_applies_follows_the_status_corrects_online_and_reads_the_reply(
        transactional_db, world, live_server, page, tmp_path):
    base, body, u = live_server.url, world["a"], world["users"]
    page.goto(f"{base}/xxgk/{body.pk}/ysqgk/apply/")
    page.select_option("select[name=applicant_type]", "commercial")
    for name, value in (("applicant_name", "哈尔滨某某科技有限公司"), ("credit_code", "91350100M000100Y44"),
                        ("legal_representative", "李四"), ("contact_name", "王五"),
                        ("id_number", "230103199001011234"), ("contact_phone", "0451-12345678"),
                        ("contact_email", "wang@example.com"), ("contact_address", "哈尔滨市南岗区某路1号"),
                        ("postcode", "150080")):
        page.fill(f"input[name={name}]", value)
    page.fill("textarea[name=description]", "七政街道老旧小区改造项目的招标文件")
    page.select_option("select[name=delivery]", "email")
    page.set_input_files("input[name=id_proof]", _files(tmp_path, ("营业执照.pdf", PDF), ("联系人身份证.png", PNG)))
    page.click("button.primary")
    # a mistyped code is caught with a Chinese message beside the field; the rest stays filled in
    assert "统一社会信用代码校验位不正确" in page.inner_text("form.apply")
    assert page.input_value("input[name=contact_name]") == "王五"
    shot(page, "citizen-apply-error")
    page.fill("input[name=credit_code]", "91350100M000100Y43")
    page.set_input_files("input[name=id_proof]", _files(tmp_path, ("营业执照.pdf", PDF), ("联系人身份证.png", PNG)))
    page.click("button.primary")
    page.wait_for_selector("#query-code")
    code = page.inner_text("#query-code").strip()
    shot(page, "citizen-receipt")
    app = Application.objects.get(query_code=code)
    assert (app.applicant_type, app.credit_code, app.legal_representative, app.contact_name) == (
        "commercial", "91350100M000100Y43", "李四", "王五")
    assert sorted(app.files.values_list("name", "kind")) == [("联系人身份证.png", "id_proof"), ("营业执照.pdf", "id_proof")]

    # the status page answers: the due date
    page.click(f"a[href$='?code={code}']")
    page.wait_for_selector("#status-label")
    assert page.inner_text("#status-label") == "办理中" and re.search(r"\d{4}年\d+月\d+日", page.inner_text("#due"))
    # the office asks for a correction
    today = timezone.localdate()
    s.correction_notice(application=app, actor=u["handler_a"], on=today, items="请写明所需招标文件的项目名称和年份",
                        reply_by=today + dt.timedelta(days=15))
    correction_letter = letter_issue(application=app, actor=u["reviewer_a"], key="correction")
    page.reload()
    assert page.inner_text("#status-label") == "待补正"
    assert "请写明所需招标文件的项目名称和年份" in page.inner_text("#correction-items")
    assert page.inner_text("#correction-by") == f"{(today + dt.timedelta(days=15)):%Y年%-m月%-d日}"
    text = page.inner_text("main")
    assert "李四" not in text and "王五" not in text and "230103199001011234" not in text  # no personal data
    assert correction_letter.number in page.inner_text("#letters")  # the 补正告知书 to download
    shot(page, "citizen-status-correction")
    # …and the citizen answers online, with an attachment
    page.fill("textarea[name=text]", "所需为“七政街道2026年老旧小区改造项目”的招标文件")
    page.set_input_files("input[name=files]", _files(tmp_path, ("项目说明.pdf", PDF)))
    page.click("#correction button.primary")
    page.wait_for_selector("#corrected-message")
    message = page.inner_text("#corrected-message")
    assert "收到您对申请" in message and "答复期限自收到补正之日起重新计算" in message
    shot(page, "citizen-corrected")
    app.refresh_from_db()
    assert app.status == Status.OPEN and app.due_on is not None
    ev = app.events.get(kind=EventKind.CORRECTION_RECEIVED)
    assert ev.data["online"] is True and ev.data["files"] == ["项目说明.pdf"]

    # the office sees the company, its ID proof and the correction on the case page
    _login(page, base, "handler_a")
    page.goto(f"{base}/staff/cases/{app.pk}/")
    assert page.inner_text("#credit-code") == "91350100M000100Y43"
    files = page.inner_text("#files")
    assert "身份证明：营业执照.pdf" in files and "补正材料：项目说明.pdf" in files
    assert "网上提交（凭查询码）" in page.inner_text(".timeline")
    with page.expect_download() as dl:
        page.click("#files a >> nth=0")
    assert dl.value.suggested_filename == "营业执照.pdf"
    shot(page, "citizen-case-page")
    page.click("text=退出")

    # the reply, and what the citizen reads
    s.decision_record(application=app, actor=u["reviewer_a"], on=today, reply_type="partial",
                      summary="招标文件予以公开，投标人报价部分涉及商业秘密不予公开")
    reply = letter_issue(application=app, actor=u["reviewer_a"], key="reply.partial",
                         facts={"withheld": "denied.third_party"})
    page.goto(f"{base}/ysqgk/query/?code={code}")
    assert page.inner_text("#status-label") == "已办结"
    assert page.inner_text("#reply-label").startswith("部分公开：") and "区分处理" not in page.inner_text("main")
    link = page.locator(f"#letters a[href$='/{reply.pk}.pdf']")
    assert "答复告知书" in link.inner_text()
    with page.expect_download() as dl:
        link.click()
    pdf = tmp_path / "reply.pdf"
    dl.value.save_as(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "哈尔滨某某科技有限公司" in flat and "第三十七条" in flat and reply.number in flat
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(SHOTS / "citizen-reply-pdf")],
                   check=True)
    shot(page, "citizen-status-replied")


def test_a_december_application_shows_a_provisional_deadline_until_the_notice_is_entered(
        transactional_db, world, live_server, page, monkeypatch):
    from gongkai.web.clock.models import CalendarYear

    CalendarYear.objects.filter(year__gte=2027).delete()
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(2026, 12, 21))
    base, body = live_server.url, world["a"]
    page.goto(f"{base}/xxgk/{body.pk}/ysqgk/apply/")
    page.fill("input[name=applicant_name]", "张三")
    page.fill("input[name=contact_phone]", "13900001111")
    page.fill("input[name=contact_address]", "哈尔滨市南岗区某路2号")
    page.fill("textarea[name=description]", "七政街道2027年元旦期间值班安排")
    page.click("button.primary")
    page.wait_for_selector("#query-code")
    code = page.inner_text("#query-code").strip()
    page.goto(f"{base}/ysqgk/query/?code={code}")
    due = page.inner_text("#due")
    assert due.startswith("2027年1月19日（预计）") and "2027年放假安排尚未录入" in page.inner_text("#due-note")
    shot(page, "citizen-december-provisional")

    # the system administrator enters the 2027 notice in the calendar form
    _login(page, base, "root")
    page.goto(f"{base}/staff/calendar/")
    page.fill("input[name=title]", "国务院办公厅关于2027年部分节假日安排的通知")
    page.fill("textarea[name=text]", "年度 2027\n2027-01-01至2027-01-03 放假 元旦\n")
    page.click("button:has-text(\"录入\")")
    page.wait_for_load_state()
    assert "已录入2027年工作日历" in page.inner_text("body")
    app = Application.objects.get(query_code=code)
    page.goto(f"{base}/staff/cases/{app.pk}/")
    assert page.locator("#due-provisional").count() == 0 and "预计期限改为正式期限" in page.inner_text(".timeline")
    shot(page, "citizen-december-case-final")
    page.click("text=退出")

    page.goto(f"{base}/ysqgk/query/?code={code}")
    assert page.inner_text("#due") == "2027年1月19日" and page.locator("#due-note").count() == 0
    shot(page, "citizen-december-final")


def test_an_admin_allows_force_majeure_pauses_and_a_handler_records_one(transactional_db, world, make_app,
                                                                       live_server, page):
    base = live_server.url
    app = make_app(received=D(2024, 3, 4))
    assert app.due_on == D(2024, 4, 1)
    _login(page, base, "admin_a")
    page.goto(f"{base}/staff/cases/deadline-settings/{world['a'].pk}/")
    assert page.is_checked("input[name=rest_day_next_working_day]")
    assert not page.is_checked("input[name=allow_other_pauses]")
    page.check("input[name=allow_other_pauses]")
    shot(page, "citizen-deadline-settings")
    page.click("button.primary")
    page.wait_for_load_state()
    assert "期限设置已保存" in page.inner_text("body")
    page.click("text=退出")

    _login(page, base, "handler_a")
    page.goto(f"{base}/staff/cases/{app.pk}/")
    page.click("#panel-pause_record summary")
    page.fill("#panel-pause_record input[name=start]", "2024-03-11")
    page.fill("#panel-pause_record input[name=end]", "2024-03-15")
    page.fill("#panel-pause_record input[name=note]", "疫情封控，办公场所关闭")
    page.fill("#panel-pause_record input[name=approved_by]", "赵主任")
    page.click("#panel-pause_record button[type=submit]")
    page.wait_for_load_state()
    assert "2024年4月9日" in page.inner_text("#due")
    assert "疫情封控，办公场所关闭" in page.inner_text(".explain") and "记录不计入期限的期间" in page.inner_text(".timeline")
    shot(page, "citizen-force-majeure-pause")
