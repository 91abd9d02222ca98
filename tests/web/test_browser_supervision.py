"""In a real browser (issue 14 item 5): the district's 督查 uploads a ZIP with two subordinate bodies' 2024 reports
(real files from the dev corpus, for bodies created here; their 2023 reports came in an earlier batch); the upload
returns at once to the batch page, which shows the reading's progress and refreshes itself (htmx polling) while a
worker reads the reports, then shows them by body with their findings, confirms one and sends it as a 督办, dismisses another with a reason; the body's
administrator answers; the office closes it; the year's review is exported as XLSX and DOCX and read back."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from .browser import SHOTS, browser_page, shot
from .test_browser import _login

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DEV = Path("/work/shared/corpus/dev")


@pytest.fixture
def page():
    with browser_page() as p:
        yield p


def _zip(path: Path, *names: str) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n in names:
            zf.writestr(n, (DEV / n).read_bytes())
    path.write_bytes(buf.getvalue())
    return path


def _logout(page) -> None:
    page.click("text=退出")
    page.wait_for_url("**/accounts/login/")


def test_batch_review_duban_loop_and_exports(transactional_db, world, live_server, page, tmp_path):
    import docx
    import openpyxl

    from gongkai.web.bodies.models import Role
    from gongkai.web.bodies.services import body_create, membership_grant, user_create
    from gongkai.web.supervision import queue
    from gongkai.web.supervision import services as sv
    from gongkai.web.supervision.models import Duban

    from .conftest import DEMO_PASSWORD

    d, sup = world["district"], world["users"]["supervisor"]
    pingtan = body_create(name="平潭综合实验区", short_name="平潭", kind="government", level="county", parent=d)
    body_create(name="淮安市洪泽区人民政府", short_name="洪泽区", kind="government", level="county", parent=d)
    pt_user = user_create(username="pt_admin", password=DEMO_PASSWORD, full_name="林平潭")
    membership_grant(user=pt_user, body=pingtan, role=Role.ADMIN)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n in ("pingtan-2023.txt", "huaian-hongze-2023.pdf"):
            zf.writestr(n, (DEV / n).read_bytes())
    sv.batch_create(office=d, year=2023, actor=sup, files=[("2023.zip", buf.getvalue())])  # last year's batch
    assert queue.drain() == 2
    upload = _zip(tmp_path / "2024年度报告.zip", "pingtan-2024.txt", "huaian-hongze-2024.pdf")

    base = live_server.url
    _login(page, base, "supervisor")
    page.click("nav >> text=年报督查")
    page.wait_for_url("**/staff/supervision/")
    page.select_option("#upload-form select[name=year]", "2024")
    page.set_input_files("input[name=files]", str(upload))
    shot(page, "supervision-upload")
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/staff/supervision/*/")
    # nothing read yet (the web process's thread is off in tests): the progress, polled by the page itself.
    # The worker runs here, in the test's thread: an in-memory SQLite database is one connection shared with the
    # live server's threads (test_supervision_queue.py runs the background thread itself on PostgreSQL)
    assert page.inner_text("#progress-read") == "0" and "共 2 份" in page.inner_text("#progress")
    assert queue.drain(limit=1) == 1
    page.wait_for_selector("#progress-read >> text=1")  # the poll's answer, swapped in
    shot(page, "supervision-batch-reading")
    assert page.locator("#waiting tbody tr").count() == 1
    assert queue.drain() == 1
    page.wait_for_selector("#by-body >> text=淮安市洪泽区人民政府", timeout=20000)  # reloaded by the poll (HX-Refresh)
    assert page.locator("#progress").count() == 0
    shot(page, "supervision-batch")
    table = page.inner_text("#by-body")
    assert "平潭综合实验区" in table and "淮安市洪泽区人民政府" in table
    assert table.count("督查批次") == 2  # each compared with last year's batch
    assert "汇总表检查" in page.content()

    page.click("#by-body >> text=平潭综合实验区")
    page.wait_for_url("**/staff/supervision/report/*/")
    x2 = page.locator(".finding", has_text="X2")
    assert "470" in x2.inner_text() and "440" in x2.inner_text()  # the broken 现行有效 chain, from last year
    x2.locator("button[value=confirm]").click()
    page.wait_for_load_state()
    x2 = page.locator(".finding", has_text="X2")
    assert x2.locator(".finding-state").inner_text() == "已确认"
    w3 = page.locator(".finding", has_text="W3")
    w3.locator("input[name=reason]").fill("收费单位已在第六部分说明")
    w3.locator("button[value=dismiss]").click()
    page.wait_for_load_state()
    assert page.locator(".finding", has_text="W3").locator(".finding-state").inner_text() == "不予采纳"
    x2 = page.locator(".finding", has_text="X2")
    x2.locator("input[name=request]").fill("请核对行政规范性文件现行有效件数，更正后重新发布")
    x2.locator(".send-form button").click()
    page.wait_for_load_state()
    assert "已向平潭综合实验区发出督办" in page.content()
    shot(page, "supervision-report-findings")
    _logout(page)

    _login(page, base, "pt_admin")
    page.click("nav >> text=督办事项")
    page.wait_for_url("**/staff/supervision/duban/")
    assert "年报督查" not in page.inner_text("nav")  # not a supervisor
    page.click("#dubans a")
    page.wait_for_url("**/staff/supervision/duban/*/")
    page.fill("#answer-form textarea[name=answer]", "已核对：现行有效件数应为 499 件，报告已更正并重新发布。")
    page.click("#answer-form button")
    page.wait_for_load_state()
    assert page.inner_text("#duban-state") == "已答复"
    shot(page, "supervision-duban-answered")
    _logout(page)

    _login(page, base, "supervisor")
    page.goto(f"{base}/staff/supervision/duban/")
    page.click("#dubans a")
    page.fill("#close-form input[name=note]", "整改到位")
    page.click("#close-form button[value=close]")
    page.wait_for_load_state()
    assert page.inner_text("#duban-state") == "已办结"
    shot(page, "supervision-duban-closed")
    assert Duban.objects.get().state == "closed"

    page.goto(f"{base}/staff/supervision/?year=2024")
    with page.expect_download() as dl:
        page.click("text=问题清单（XLSX）")
    ws = openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))["问题清单"]
    rows = list(ws.iter_rows(values_only=True))
    confirmed = [r for r in rows[1:] if r[6] == "已确认"]
    assert len(confirmed) == 1 and confirmed[0][0] == "平潭综合实验区" and confirmed[0][2] == "X2"
    assert confirmed[0][8] == "已办结"
    assert any(r[6] == "不予采纳" and r[7] == "收费单位已在第六部分说明" for r in rows[1:])
    assert {r[0] for r in rows[1:]} == {"平潭综合实验区", "淮安市洪泽区人民政府"}
    with page.expect_download() as dl:
        page.click("text=督查情况通报（DOCX）")
    doc = docx.Document(io.BytesIO(Path(dl.value.path()).read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "关于2024年度政府信息公开工作年度报告" in text and "平潭综合实验区" in text
    assert "1 个机关的报告存在 1 个问题" in text
    table = doc.tables[0]
    assert table.rows[1].cells[0].text == "平潭综合实验区" and "470" in table.rows[1].cells[1].text
    (SHOTS / "supervision-review.docx").write_bytes(Path(dl.value.path()).read_bytes())
