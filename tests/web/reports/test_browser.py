"""A clerk composes, checks and submits the annual report; a reviewer approves it, the 负责人 signs it off (签发),
the reviewer publishes it; the PDF is downloaded from the portal — in Debian's chromium."""
from __future__ import annotations

import datetime as dt
import importlib.util
import pathlib
import re

import pytest

_spec = importlib.util.spec_from_file_location("reports_browser", pathlib.Path(__file__).parent.parent / "browser.py")
browser = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(browser)

pytestmark = [pytest.mark.slow, pytest.mark.browser]
YEAR = 2025


def _login(page, site, username):
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "secret-pass-1")
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(re.compile(r"/staff/"))


def test_clerk_composes_checks_and_publishes(transactional_db, live_server, world, publish, tmp_path):
    from playwright.sync_api import expect

    from gongkai.compose import placeholders
    from gongkai.web.catalog import services as cs
    from gongkai.web.reports.models import AnnualReport

    publish("七政街道临时救助实施办法", doc_kind="normative", validity="valid", written_on=dt.date(YEAR, 4, 1))
    cs.figures_set(body=world["street"], year=YEAR, actor=world["clerk"], penalty=3)
    site = live_server.url
    with browser.browser_page() as page:
        _login(page, site, "clerk")
        page.goto(f"{site}/staff/reports/")
        page.select_option("select[name=body]", str(world["street"].pk))
        page.fill("input[name=year]", str(YEAR))
        page.click("text=编制年度报告")
        page.wait_for_url(re.compile(r"/staff/reports/\d+/$"))
        assert "本年制发行政规范性文件1件" in page.input_value("#s1")
        panel = page.inner_text("#findings")
        assert "处【待填写】" in panel
        browser.shot(page, "reports-composer-draft")

        rep = AnnualReport.objects.get(body=world["street"], year=YEAR)
        for sec in rep.report.sections:
            if sec.number in (1, 5, 6):
                text = sec.text
                for p in placeholders(text):
                    text = text.replace(f"【待填写：{p}】", "本年度未收取信息处理费" if "信息处理费" in p
                                        else "本年度按要求落实")
                page.fill(f"#s{sec.number}", text)
        page.locator("#s6").press("End")  # a keystroke: htmx re-checks the texts as typed
        # (no wait_for_function: the CSP refuses a string evaluated as script)
        expect(page.locator("#findings")).not_to_contain_text("待填写")
        for box in page.locator("input[name=ack]").all():
            box.check()
        page.click("button[value=save]")
        assert "已保存" in page.inner_text("main")
        page.click("button[value=submit]")
        assert "已提交审核" in page.inner_text("main")
        browser.shot(page, "reports-composer-submitted")

        page.click("text=退出")
        _login(page, site, "reviewer")
        page.goto(f"{site}/staff/reports/{rep.pk}/")
        page.click("button[value=approve]")
        assert "审核通过" in page.inner_text("main")
        # reviewed, not signed: no publish button, the page says who must act
        assert page.locator("button[value=publish]").count() == 0
        assert "等待本机关负责人签发" in page.inner_text("#awaiting-sign")
        browser.shot(page, "reports-composer-awaiting-sign")

        page.click("text=退出")
        _login(page, site, "head")  # 负责人签发
        page.goto(f"{site}/staff/reports/{rep.pk}/")
        page.fill("input[name=note]", "同意发布")
        browser.shot(page, "reports-composer-sign-form")
        page.click("button[value=sign]")
        assert "已签发，可以发布" in page.inner_text("main")
        signed = page.inner_text("#signed-off")
        assert "负责人签发：head" in signed and "同意发布" in signed
        assert page.locator("button[value=publish]").count() == 0  # a 负责人 signs; a 审核人 publishes

        page.click("text=退出")
        _login(page, site, "reviewer")
        page.goto(f"{site}/staff/reports/{rep.pk}/")
        page.click("button[value=publish]")
        assert "已发布到政府信息公开专栏" in page.inner_text("main")
        assert "负责人签发：head" in page.inner_text("#signed-off")
        events = page.inner_text("text=办理记录 >> xpath=..")
        assert "head：负责人签发（同意发布）" in events and "reviewer：发布" in events
        browser.shot(page, "reports-composer-published")

        page.goto(f"{site}/xxgk/{world['street'].pk}/nb/")
        page.click(f"text={world['street'].name}{YEAR}年政府信息公开工作年度报告")
        assert "二、主动公开政府信息情况" in page.inner_text("main")
        browser.shot(page, "portal-annual-report")
        with page.expect_download() as info:
            page.click(".downloads >> text=Word")
        docx = tmp_path / "report.docx"
        info.value.save_as(docx)
        assert docx.read_bytes()[:2] == b"PK"
        pdf = page.request.get(f"{site}/xxgk/{world['street'].pk}/nb/{YEAR}.pdf")
        assert pdf.ok and pdf.body()[:5] == b"%PDF-" and pdf.headers["content-type"] == "application/pdf"
