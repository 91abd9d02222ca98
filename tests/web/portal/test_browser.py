"""A citizen searches the catalog, applies online and follows the status — in Debian's chromium."""
from __future__ import annotations

import importlib.util
import pathlib
import re

import pytest

_spec = importlib.util.spec_from_file_location("portal_browser", pathlib.Path(__file__).parent.parent / "browser.py")
browser = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(browser)

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture
def site(transactional_db, live_server, world, publish, monkeypatch):
    from gongkai.web.portal import services

    monkeypatch.setattr(services, "MIN_SECONDS", 0)  # a test types faster than a person
    publish("七政街道防汛应急预案", category="emergency", text="为做好辖区防汛工作，最大限度减少灾害损失，制定本预案。",
            keywords="防汛 应急预案")
    publish("七政街道2025年部门预算", category="finance", text="2025年部门预算说明。")
    from gongkai.web.catalog import services as cs

    draft = cs.item_create(body=world["street"], author=world["clerk"], title="未审查的防汛内部材料", text="防汛")
    cs.item_submit(item=draft, actor=world["clerk"])
    return live_server.url


def test_citizen_searches_applies_and_follows_the_status(site, world):
    from gongkai.web.applications.models import Application

    with browser.browser_page() as page:
        page.goto(f"{site}/xxgk/{world['street'].pk}/")
        assert page.locator("nav.sitemap a").all_inner_texts()[:4] == [
            "政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报"]
        page.fill("#quick-q", "防汛")
        page.click("form.quick button")
        page.wait_for_url(re.compile(r"/search/"))
        assert "共找到 1 条结果" in page.inner_text("main")
        assert page.locator("mark", has_text="防汛").count() >= 1
        assert "未审查" not in page.content()
        browser.shot(page, "portal-search")
        page.click("ol.results a")
        assert "索引号" in page.inner_text("table.meta")
        browser.shot(page, "portal-item")

        page.click("text=依申请公开")
        page.click("text=填写在线申请")
        page.select_option("#id_applicant_type", "natural")
        page.fill("#id_applicant_name", "张某某")
        page.fill("#id_id_number", "230103198001011234")
        page.fill("#id_contact_phone", "13900001111")
        page.fill("#id_contact_address", "哈尔滨市南岗区某街1号")
        page.fill("#id_postcode", "150080")
        page.fill("#id_description", "七政街道2025年防汛物资储备情况")
        browser.shot(page, "portal-apply")
        page.click("text=提交申请")
        code = page.inner_text("#query-code").strip()
        assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
        browser.shot(page, "portal-receipt")
        app = Application.objects.get(query_code=code)
        assert app.channel == "online" and app.applicant_name == "张某某"

        page.goto(f"{site}/")
        page.fill("#code", code.replace("-", "").lower())
        page.click("form.inline-form button")
        assert page.inner_text("#status-label") == "办理中"
        text = page.inner_text("main")
        assert "收到申请" in text and "张某某" not in text and "13900001111" not in text
        browser.shot(page, "portal-status")


def test_pages_work_without_javascript(site, world):
    with browser.browser_page(javascript=False) as page:
        page.goto(f"{site}/xxgk/{world['street'].pk}/fdzdgknr/")
        page.click("text=应急管理")
        assert "七政街道防汛应急预案" in page.inner_text("main")
        page.click("text=大")  # 字号 via a cookie, no script
        assert "size-l" in (page.get_attribute("body", "class") or "")
        page.click("text=无障碍（高对比度）模式")
        assert "contrast" in (page.get_attribute("body", "class") or "")
        browser.shot(page, "portal-catalog-nojs-large-contrast")
