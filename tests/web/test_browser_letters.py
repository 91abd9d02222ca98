"""In Chromium: a clerk takes a postal application (registered_mail) from receipt through 补正, consultation,
extension and fee to a 部分公开 reply, issuing and downloading each letter; every DOCX is read with python-docx,
every PDF with pdftotext, and each PDF's first page is rendered to var/screenshots/letter-<kind>.png."""
from __future__ import annotations

import re
import subprocess

import pytest
from django.utils import timezone

from .browser import SHOTS, browser_page, shot
from .test_browser import _login
from .test_letters import docx_text, flat, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.slow]
AUTHORITY, COURT = "哈尔滨市南岗区人民政府", "哈尔滨市南岗区人民法院"


@pytest.fixture
def page():
    with browser_page() as p:
        yield p


def _action(page, name: str, fields: dict[str, str]) -> None:
    page.locator(f"#panel-{name} summary").click()
    for selector, value in fields.items():
        target = page.locator(f"#panel-{name} {selector}")
        target.select_option(value) if selector.startswith("select") else target.fill(value)
    page.click(f"#panel-{name} button[type=submit]")
    page.wait_for_load_state()


def _issue(page, key: str, fields: dict[str, str] | None = None) -> dict[str, str]:
    """From the case page: open the letter's draft, fill its form, issue it, download DOCX and PDF."""
    case_url = page.url
    row_id = "#letter-" + key.replace(".", "\\.")
    page.click(f"{row_id} a.draft-link")
    page.wait_for_selector("#preview")
    if fields:
        for selector, value in fields.items():
            target = page.locator(f"#refresh {selector}")
            if selector.startswith("select"):
                target.select_option(value)
            elif "checkbox" in selector:
                target.check()
            else:
                target.fill(value)
        page.click("#refresh button[type=submit]")
        page.wait_for_selector("#preview")
    assert "审查通过" in page.inner_text("body") or "错误" not in page.inner_text(".findings"), page.inner_text("body")
    shot(page, f"letter-draft-{key}")
    page.click("#issue button[type=submit]")
    page.wait_for_url(case_url)
    assert "已出具" in page.inner_text("body")
    row = page.locator(row_id)
    out = {}
    for fmt in ("docx", "pdf"):
        with page.expect_download() as dl:
            row.locator(f"a.dl-{fmt}").first.click()
        out[fmt] = open(dl.value.path(), "rb").read()  # noqa: SIM115 - the download's temporary file
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "2", "-", str(SHOTS / f"letter-{key}")],
                   input=out["pdf"], check=True)
    return {"docx": flat(docx_text(out["docx"])), "pdf": pdf_text(out["pdf"])}


def test_a_postal_case_with_every_letter(transactional_db, world, live_server, page):
    from gongkai.web.applications.models import Application

    base, today = live_server.url, timezone.localdate()
    date = f"{today.year}年{today.month}月{today.day}日"
    _login(page, base, "clerk_a")
    page.goto(f"{base}/staff/cases/new/")
    page.select_option("select[name=channel]", "registered_mail")
    page.fill("input[name=signed_for_on]", today.isoformat())
    page.fill("input[name=applicant_name]", "王五")
    page.fill("input[name=contact_address]", "哈尔滨市南岗区某街5号")
    page.fill("textarea[name=description]", "七政街道某小区加装电梯项目的审批文件")
    page.click("button[type=submit]")
    page.wait_for_url("**/staff/cases/*/")
    app = Application.objects.get(applicant_name="王五")
    assert app.channel == "registered_mail"
    letters = {"receipt": _issue(page, "receipt")}
    page.click("text=退出")

    _login(page, base, "reviewer_a")
    page.goto(f"{base}/staff/cases/{app.pk}/")
    _action(page, "correction", {"textarea[name=items]": "所需审批文件的文号或年份"})
    letters["correction"] = _issue(page, "correction")
    _action(page, "correction_received", {})
    _action(page, "pause", {"select[name=reason]": "third_party", "input[name=party]": "某某电梯工程有限公司"})
    letters["consultation"] = _issue(page, "consultation", {"input[name=party_organisation][type=checkbox]": "on",
                                                            "input[name=party_phone]": "0451-86660000"})
    _action(page, "resume", {})
    page.click("text=退出")
    _login(page, base, "head_a")
    page.goto(f"{base}/staff/cases/{app.pk}/")
    _action(page, "extend", {"textarea[name=reason]": "需要向区住建局调取审批档案"})
    page.click("text=退出")
    _login(page, base, "reviewer_a")
    page.goto(f"{base}/staff/cases/{app.pk}/")
    letters["extension"] = _issue(page, "extension")
    _action(page, "fee", {"select[name=method]": "pages", "input[name=quantity]": "150"})
    letters["fee"] = _issue(page, "fee")
    _action(page, "fee_paid", {"input[name=receipt_no]": "HLJ-2026-0001"})
    _action(page, "decision", {"select[name=reply_type]": "partial",
                               "textarea[name=summary]": "审批文件予以公开；其中施工单位的报价明细涉及商业秘密。"})
    assert page.inner_text("#case-status") == "已办结"
    letters["reply.partial"] = _issue(page, "reply.partial", {"select[name=withheld]": "denied.third_party"})
    shot(page, "letters-case-page")

    for key, texts in letters.items():
        for kind, text in texts.items():
            assert date in text and re.search(rf"七政公开〔{today.year}〕\d+号", text), (key, kind)
            assert "您（单位）" not in text and "只计这一情形" not in text
    for text in letters["receipt"].values():
        assert "王五：" in text and "邮寄（挂号信）" in text and app.query_code in text and "第三十三条" in text
    for text in letters["correction"].values():
        assert "所需审批文件的文号或年份" in text and "视为放弃申请" in text and "第三十条" in text
    for text in letters["consultation"].values():
        assert "某某电梯工程有限公司：" in text and "十五个工作日" in text and "王五" not in text
    for text in letters["extension"].values():
        assert "需要向区住建局调取审批档案" in text and "延长20个工作日" in text and "第三十三条第二款" in text
    for text in letters["fee"].values():
        assert "人民币1700.00元" in text and "109号" in text and "二十个工作日" in text
    for text in letters["reply.partial"].values():
        assert "王五：" in text and "第三十七条" in text and "第十五条" in text and "第三十六条第（三）项" in text
        assert f"向{AUTHORITY}申请行政复议" in text and f"向{COURT}提起行政诉讼" in text
        assert "缴纳信息处理费1700.00元" in text and "延长答复期限20个工作日" in text
        assert "某某电梯工程有限公司" not in text and "0451-86660000" not in text
    # the applicant's status page offers the letters addressed to them, and not the consultation letter
    page.goto(f"{base}/ysqgk/query/?code={app.query_code}")
    listed = page.inner_text("#letters")
    assert "答复告知书" in listed and "补正告知书" in listed and "征询函" not in listed
    shot(page, "letters-status-page")


def test_the_administrator_edits_a_template(transactional_db, world, live_server, page):
    """The body's 管理员 confirms the 复议机关 and court, saves a new version of a template; the versions list it."""
    base = live_server.url
    _login(page, base, "admin_a")
    page.goto(f"{base}/staff/letters/")
    assert "推定" in page.inner_text("#s-authority")
    page.click("text=修改文书设置")
    page.fill("input[name=court]", "哈尔滨铁路运输法院")
    page.click("button[type=submit]")
    page.wait_for_url("**/staff/letters/?body=*")
    assert page.inner_text("#s-court") == "哈尔滨铁路运输法院"
    shot(page, "letters-templates")
    page.goto(f"{base}/staff/letters/{world['a'].pk}/templates/correction/")
    text = page.locator("textarea[name=text]")
    text.fill(text.input_value() + "\n如有疑问，请在工作时间致电本机关。")
    page.fill("input[name=note]", "加联系提示")
    page.click("button[type=submit]")
    page.wait_for_url("**/staff/letters/?body=*")
    assert "模板已保存为第2版" in page.inner_text("body")
    page.goto(f"{base}/staff/letters/{world['a'].pk}/templates/correction/")
    versions = page.inner_text("table.grid")
    assert "第2版" in versions and "第1版" in versions and "加联系提示" in versions and "admin_a" in versions
    shot(page, "letters-template-edit")
