"""In a real browser: the main public and staff pages load under the Content-Security-Policy without a single
violation (inline scripts, handlers and styles moved to static files), their scripts still work, and a citizen's
double click on 提交申请 registers one application and shows its receipt (issue 13, point 6)."""
from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest

from .browser import browser_page, shot
from .test_browser import _login

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " @" + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def page():
    with browser_page() as p:
        p.add_init_script(LISTEN)  # injected by the browser itself, not subject to the page's policy
        yield p


def _visit(page: Any, url: str, problems: list[str]) -> None:
    resp = page.goto(url)
    page.wait_for_load_state("load")
    assert "script-src 'self'" in resp.headers.get("content-security-policy", ""), url  # the policy is on
    problems += [f"{url}: {v}" for v in page.evaluate("window.__csp || []")]
    assert page.locator("body").count() == 1


@pytest.fixture
def content(world: dict[str, Any], make_app: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    from gongkai.web.catalog import services as catalog
    from gongkai.web.reports.services import report_start

    settings.MEDIA_ROOT = tmp_path / "media"
    u = world["users"]
    app = make_app()
    item = catalog.item_create(body=world["a"], author=u["clerk_a"], title="七政街道老旧小区改造实施方案",
                               text="为改善居住条件，制定本方案。")
    catalog.item_submit(item=item, actor=u["clerk_a"])
    catalog.item_review(item=item, reviewer=u["reviewer_a"], approve=True, basis="不涉密")
    item = catalog.item_publish(item=item, actor=u["clerk_a"])
    report = report_start(body=world["a"], year=dt.date.today().year - 1, actor=u["clerk_a"])
    return {"app": app, "item": item, "report": report}


def test_main_pages_report_no_csp_violation(transactional_db: Any, world: dict[str, Any], content: dict[str, Any],
                                           live_server: Any, page: Any) -> None:
    base, a = live_server.url, world["a"].pk
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    problems: list[str] = []
    for path in ("/", f"/xxgk/{a}/", f"/xxgk/{a}/zhinan/", f"/xxgk/{a}/fdzdgknr/", f"/xxgk/{a}/nb/",
                 f"/xxgk/item/{content['item'].index_no}/", "/search/?q=老旧小区", f"/xxgk/{a}/ysqgk/",
                 f"/xxgk/{a}/ysqgk/apply/", f"/ysqgk/query/?code={content['app'].query_code}", "/xxgk/999999/"):
        _visit(page, base + path, problems)
    shot(page, "csp-portal-not-found")
    page.get_by_role("link", name="大", exact=True).click()  # the 字号 links still work (no script needed)
    assert "size-l" in (page.locator("body").get_attribute("class") or "")
    _visit(page, base + "/accounts/login/", problems)
    _login(page, base, "admin_a")
    for path in ("/staff/", "/staff/cases/", f"/staff/cases/{content['app'].pk}/", "/staff/cases/new/",
                 "/staff/cases/ledger/", "/staff/catalog/", f"/staff/catalog/{content['item'].pk}/",
                 "/staff/catalog/figures/", "/staff/reports/", f"/staff/reports/{content['report'].pk}/",
                 "/staff/reports/supervise/", "/staff/calendar/", "/staff/audit/", "/staff/appeals/",
                 "/staff/channels/", "/staff/bodies/", "/staff/cases/99999999/"):
        _visit(page, base + path, problems)
    shot(page, "csp-staff-not-found")
    page.goto(f"{base}/staff/cases/")  # htmx (a static script) still filters the list as one types
    page.fill("input[name=q]", "张三")
    page.wait_for_timeout(1200)
    problems += [f"cases filter: {v}" for v in page.evaluate("window.__csp || []")]
    assert page.locator("#results").count() == 1
    assert not problems, "\n".join(problems)
    assert not console, "\n".join(console)


def test_a_double_click_registers_one_application_and_shows_its_receipt(
        transactional_db: Any, world: dict[str, Any], live_server: Any, page: Any) -> None:
    from gongkai.web.applications.models import Application
    from gongkai.web.portal.services import MIN_SECONDS

    page.goto(f"{live_server.url}/xxgk/{world['a'].pk}/ysqgk/apply/")
    page.fill("input[name=applicant_name]", "张某某")
    page.fill("input[name=contact_phone]", "13900001111")
    page.fill("input[name=contact_address]", "哈尔滨市南岗区某街1号")
    page.fill("textarea[name=description]", "七政街道2025年老旧小区改造项目的批复文件")
    time.sleep(MIN_SECONDS + 0.5)
    page.get_by_role("button", name="提交申请").dblclick()
    page.wait_for_selector("#query-code", timeout=20000)
    shot(page, "csp-apply-double-click")
    assert Application.objects.count() == 1
    app = Application.objects.get()
    assert page.locator("#query-code").inner_text().strip() == app.query_code
    assert not page.evaluate("window.__csp || []")
