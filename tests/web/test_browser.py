"""In a real browser (Debian chromium): a clerk registers an application, a reviewer issues a 补正, records
the reply, and the report cell changes on the ledger page."""
from __future__ import annotations

import pytest

from .browser import browser_page, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def page():
    with browser_page() as p:
        yield p


def _login(page, base: str, username: str) -> None:
    from .conftest import DEMO_PASSWORD

    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/staff/")


def _cell(page, base: str, body_id: int, row: str, col: int) -> str:
    page.goto(f"{base}/staff/cases/ledger/?body={body_id}&year=2024")
    return page.locator(f'#s3 tr[data-row="{row}"] td.num').nth(col).inner_text()


def test_register_correct_reply_and_see_the_report_change(transactional_db, world, live_server, page):
    base = live_server.url
    a = world["a"]
    _login(page, base, "clerk_a")
    assert _cell(page, base, a.pk, "partial", 4) == "0"  # 法律服务机构
    page.goto(f"{base}/staff/cases/new/")
    page.select_option("select[name=channel]", "in_person")
    page.fill("input[name=submitted_on]", "2024-03-04")
    page.select_option("select[name=applicant_type]", "legal_service")
    page.fill("input[name=applicant_name]", "黑龙江某某律师事务所")
    page.fill("textarea[name=description]", "七政街道2023年征收补偿方案")
    page.click("button[type=submit]")
    page.wait_for_url("**/staff/cases/*/")
    assert "七政〔2024〕依申第1号" in page.inner_text("h1")
    case_url = page.url
    assert "发出补正告知" not in page.content()  # a clerk registers but does not handle
    assert _cell(page, base, a.pk, "carry_forward", 4) == "1"
    page.click("text=退出")
    page.wait_for_url("**/accounts/login/")

    _login(page, base, "reviewer_a")
    page.goto(case_url)
    page.click("#panel-correction summary")
    page.fill("#panel-correction input[name=on]", "2024-03-06")
    page.fill("#panel-correction textarea[name=items]", "请补充所需信息的文号")
    page.click("#panel-correction button[type=submit]")
    page.wait_for_load_state()
    assert page.inner_text("#case-status") == "待补正"
    page.click("#panel-correction_received summary")
    page.fill("#panel-correction_received input[name=on]", "2024-03-20")
    page.click("#panel-correction_received button[type=submit]")
    page.wait_for_load_state()
    assert "2024年4月18日" in page.inner_text("#due")

    # A validation message, then the reply.
    page.click("#panel-decision summary")
    page.fill("#panel-decision input[name=on]", "2024-04-10")
    page.click("#panel-decision button[type=submit]")
    page.wait_for_load_state()
    assert "请选择答复类型" in page.inner_text("#panel-decision")
    page.select_option("#panel-decision select[name=reply_type]", "partial")
    page.fill("#panel-decision textarea[name=summary]", "部分公开，其余涉及第三方")
    page.click("#panel-decision button[type=submit]")
    page.wait_for_load_state()
    assert page.inner_text("#case-status") == "已办结"
    assert page.inner_text("#reply-type").startswith("（二）部分公开")

    assert _cell(page, base, a.pk, "partial", 4) == "1"
    assert _cell(page, base, a.pk, "carry_forward", 4) == "0"
    # htmx list filter swaps the table in place.
    page.goto(f"{base}/staff/cases/")
    page.select_option("select[name=status]", "closed")
    wait_until(page, "document.querySelector('#case-table') && location.search.includes('status=closed')")
    assert "七政〔2024〕依申第1号" in page.inner_text("#case-table")
