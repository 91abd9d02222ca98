"""In Debian's chromium: a clerk logs a 公众号 post, prints a 公告栏 sheet (its QR code, read back from the rendered
PDF page, is the item's portal address), logs a media submission and its publication and a meeting, imports a
year's media sheet (one bad row reported, the rest kept); the composer's section 一 shows the numbers and W10
flags an edited one."""
from __future__ import annotations

import datetime as dt
import importlib.util
import io
import pathlib
import re
import subprocess

import pytest

_spec = importlib.util.spec_from_file_location("channels_browser", pathlib.Path(__file__).parent.parent / "browser.py")
browser = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(browser)

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _login(page, site, username):
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "secret-pass-1")
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(re.compile(r"/staff/"))


def _media_sheet(year: int, today: dt.date) -> bytes:
    """A year's media sheet as an office keeps it: six rows, the fourth with a level that does not exist."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "2026年投稿"
    ws.append(["稿件标题", "媒体名称", "媒体级别", "稿件类别", "投稿日期", "刊登日期", "备注"])
    day = dt.date(year, 1, 2)
    rows = [("社区消防演练", "黑龙江日报", "省", "消防安全检查", day, day), ("垃圾分类宣传周", "哈尔滨日报", "市", "垃圾分类信息", day, day),
            ("清雪除冰进行时", "南岗发布", "区", "清冰雪信息", day, None), ("重阳节文艺演出", "南岗发布", "乡", "文艺活动", day, day),
            ("为民办实事", "哈尔滨日报", "市级", "解决百姓民生问题", day, day), ("老旧小区改造", "人民网", "中央", "", day, day)]
    for r in rows:
        ws.append([*r, ""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _entry(page, site, kind, fields, *, again=False):
    page.goto(f"{site}/staff/channels/new/?kind={kind}")
    for name, value in fields.items():
        sel = f"#entry-form [name={name}]"
        if page.locator(sel).evaluate("e => e.tagName") == "SELECT":
            page.select_option(sel, value)
        else:
            page.fill(sel, value)
    page.click("#entry-form button.primary")
    page.wait_for_url(re.compile(r"/staff/channels/\?"))
    assert "已记入台账" in page.inner_text(".messages")


def test_clerk_logs_prints_imports_and_the_composer_checks(transactional_db, live_server, world, publish, tmp_path):
    import cv2
    from django.utils import timezone

    from gongkai.web.channels.models import Entry

    today = timezone.localdate()
    year = today.year
    item = publish("七政街道最低生活保障对象公示", text="根据《黑龙江省最低生活保障办法》，现将新增对象公示如下。\n公示期为七天。")
    site = live_server.url
    shots = browser.SHOTS
    with browser.browser_page() as page:
        _login(page, site, "clerk")
        # a 公众号 post, logged by hand
        _entry(page, site, "wechat", {"title": "七政街道开展垃圾分类宣传", "link": "https://mp.weixin.qq.com/s/abc"})
        assert page.locator("#entry-form").count() == 0
        # the 公告栏 sheet of a published item: from the item's page to the helper, printed on A4
        page.goto(f"{site}/staff/catalog/{item.pk}/")
        page.click("#publish-helpers")
        page.wait_for_url(re.compile(r"/staff/channels/item/\d+/$"))
        assert page.locator("#article-preview h1").inner_text() == item.title
        browser.shot(page, "channels-helpers")
        page.fill("#sheet input[name=place]", "街道办事处一楼公告栏")
        with page.expect_response(lambda r: "sheet.pdf" in r.url) as got:
            page.click("#print-sheet")
        response = got.value
        assert response.headers["content-type"] == "application/pdf"
        pdf = shots / "channels-board-sheet.pdf"
        shots.mkdir(parents=True, exist_ok=True)
        # the bytes the browser received (chromium shows them in its viewer), fetched again with its session
        pdf.write_bytes(page.context.request.get(response.url).body())
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf),
                        str(shots / "channels-board-sheet")], check=True)
        png = next(shots.glob("channels-board-sheet-*1.png"))
        decoded, _points, _ = cv2.QRCodeDetector().detectAndDecode(cv2.imread(str(png)))
        assert decoded == f"{site}/xxgk/item/{item.index_no}/"
        posting = Entry.objects.get(kind="board")
        assert (posting.item_id, posting.place, posting.source) == (item.pk, "街道办事处一楼公告栏", "helper")
        # a media submission, then its publication; a meeting
        _entry(page, site, "media", {"title": "七政街道为老服务站揭牌", "outlet": "哈尔滨日报", "level": "city",
                                     "topic": "解决百姓民生问题"})
        submission = Entry.objects.get(title="七政街道为老服务站揭牌")
        assert submission.published_on is None
        page.goto(f"{site}/staff/channels/{submission.pk}/")
        assert page.locator("p[data-field=attendees]").is_hidden()  # a media entry has no attendees
        page.fill("#entry-form [name=published_on]", today.isoformat())
        page.click("#entry-form button.primary")
        page.wait_for_url(re.compile(r"/staff/channels/\?"))
        submission.refresh_from_db()
        assert submission.published_on == today
        _entry(page, site, "meeting", {"title": "《条例》学习贯彻政策会议", "attendees": "28"})
        # a year's media sheet: one bad row reported, the rest kept
        page.goto(f"{site}/staff/channels/import/")
        page.set_input_files("input[name=xlsx]", {"name": "媒体投稿.xlsx", "buffer": _media_sheet(year, today),
                                                  "mimeType": "application/octet-stream"})
        page.click("form button.primary")
        page.wait_for_selector("#import-result")
        assert "已导入 5 条" in page.inner_text("#import-result")
        bad = page.locator("#import-errors tbody tr")
        assert bad.count() == 1 and "2026年投稿" in bad.inner_text() and "乡" in bad.inner_text()
        assert bad.locator("td.num").inner_text() == "5"
        browser.shot(page, "channels-import")
        page.goto(f"{site}/staff/channels/?year={year}")
        figures = {a.get_attribute("data-key"): a.inner_text() for a in page.locator("#figures a").all()}
        assert (figures["meetings"], figures["published"], figures["board"], figures["wechat"]) == ("1", "5", "1", "1")
        browser.shot(page, "channels-log")
        # the composer: section 一 from the log, the numbers linked, W10 on an edited number
        page.goto(f"{site}/staff/reports/")
        page.select_option("select[name=body]", str(world["street"].pk))
        page.fill("input[name=year]", str(year))
        page.click("text=编制年度报告")
        page.wait_for_url(re.compile(r"/staff/reports/\d+/$"))
        s1 = page.input_value("#s1")
        for sentence in ("全年共召开相关政策会议1场次。", "全年投稿6篇，刊登5篇。", "其中中央媒体刊登1篇，省级媒体刊登1篇，市级媒体刊登3篇",
                         "以公告栏的形式公示了1次。", "全年通过微信公众号发布信息1篇。"):
            assert sentence in s1, (sentence, s1)
        assert page.locator("#outreach a[data-key=published]").inner_text() == "5"
        assert "W10" not in page.inner_text("#findings")
        page.fill("#s1", s1.replace("公示了1次", "公示了3次"))
        page.locator("#s1").press("End")
        browser.wait_until(page, "document.querySelector('#findings').innerText.includes('W10')")
        assert "公告栏公示次数为 1" in page.inner_text("#findings")
        browser.shot(page, "channels-composer-w10")
        page.click("#outreach a[data-key=published]")
        page.wait_for_url(re.compile(r"key=published"))
        assert page.locator("#entries tbody tr").count() == 5
        page.click("text=退出")
        # the district's supervisor: each street office and the sum (七政's 2023 as its report tells it)
        from gongkai.web.channels.demo import load_channels_demo

        load_channels_demo(bodies={"七政": world["street"]}, users={"dengji": world["clerk"]})
        _login(page, site, "supervisor")
        page.goto(f"{site}/staff/channels/figures/?year=2023")
        street = page.locator(f"#channel-figures tr[data-body='{world['street'].pk}'] td")
        assert [street.nth(i).inner_text() for i in (0, 1, 4)] == ["21", "11", "101"]
        assert page.locator("#rollup td").nth(4).inner_text() == "101"
        browser.shot(page, "channels-supervisor")


def test_reviewer_holds_an_item_as_unclear_and_the_head_settles_it(transactional_db, live_server, world):
    """The review's three rules, the hold (界限不清) in the 暂缓公开 queue, the 负责人's settlement."""
    from gongkai.web.catalog import services as cs
    from gongkai.web.catalog.models import Hold, Item

    item = cs.item_create(body=world["street"], author=world["clerk"], title="七政街道辖区重点单位消防设施分布情况",
                          text="辖区重点单位消防设施分布如下。")
    cs.item_submit(item=item, actor=world["clerk"])
    site = live_server.url
    with browser.browser_page() as page:
        _login(page, site, "reviewer")
        page.goto(f"{site}/staff/catalog/{item.pk}/")
        form = page.locator("#review-form")
        for text in ("未经保密审查的信息不得公开", "未经解密和未准予公开的信息不得公开", "公开与保密界限不清的信息不得公开"):
            assert text in form.inner_text()
        form.locator("input[name=check_reviewed][value=yes]").check()
        form.locator("input[name=check_declassified][value=yes]").check()
        form.locator("input[name=check_boundary_clear][value=no]").check()
        form.locator("input[name=decision][value=hold]").check()
        form.locator("textarea[name=reasons]").fill("标注了重点单位消防设施的具体位置，是否属于工作秘密界限不清")
        form.locator("button.primary").click()
        page.wait_for_load_state()
        assert "已暂缓公开" in page.inner_text(".messages")
        assert page.locator("h1 .badge").inner_text() == "暂缓公开"
        assert "等待负责人或保密员裁定" in page.inner_text("#hold")
        browser.shot(page, "catalog-held-by-reviewer")
        page.click("text=退出")
        _login(page, site, "head")
        page.goto(f"{site}/staff/catalog/held/")
        row = page.locator(f"#held-items tr[data-item='{item.pk}']")
        assert "待您裁定" in row.inner_text()
        browser.shot(page, "catalog-held-queue")
        row.locator("a").first.click()
        page.wait_for_url(re.compile(rf"/staff/catalog/{item.pk}/$"))
        page.locator("#settle-form input[name=decision][value=approve]").check()
        page.fill("#settle-form textarea[name=note]", "经请示，分布情况不含涉密内容，可以公开")
        page.click("#settle-form button.primary")
        page.wait_for_load_state()
        assert "已裁定可以公开" in page.inner_text(".messages")
        assert page.locator("h1 .badge").inner_text() == "已通过审查"
        reviews = page.inner_text("#reviews")
        assert "界限：不清" in reviews and "界限：清楚" in reviews
        assert "可以主动公开" not in reviews  # the form's default basis is not kept on a hold
        browser.shot(page, "catalog-settled-by-head")
    assert Item.objects.get(pk=item.pk).approved_by == world["head"]
    assert Hold.objects.get(item=item).outcome == "approved"
