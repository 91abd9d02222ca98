"""The channel log: entries per kind, XLSX import, the publishing helpers, the API, section 一 in the composer and
check W10, and the supervisors' figures."""
from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata

import pytest

from gongkai.web.channels import services as s
from gongkai.web.channels.models import Entry, Kind
from gongkai.web.core.errors import Forbidden, Invalid

D = dt.date(2023, 5, 4)


def _media(world, **kw):
    data = {"title": "七政街道清冰雪保畅通", "on": D, "outlet": "哈尔滨日报", "level": "city", "topic": "清冰雪信息"} | kw
    return s.entry_create(body=world["street"], actor=world["clerk"], kind=Kind.MEDIA, **data)


def test_each_kind_keeps_its_facts_and_is_audited(world):
    from gongkai.web.audit.models import AuditEntry

    e = _media(world, published_on=D + dt.timedelta(days=3))
    assert (e.level, e.topic, e.published_on) == ("city", "清冰雪信息", dt.date(2023, 5, 7))
    b = s.entry_create(body=world["street"], actor=world["clerk"], kind=Kind.BOARD, title="低保公示", on=D,
                       place="一楼公告栏", removed_on=D + dt.timedelta(days=7))
    m = s.entry_create(body=world["street"], actor=world["clerk"], kind=Kind.MEETING, title="条例学习", on=D,
                       attendees=25)
    assert AuditEntry.objects.filter(action="channels.create").count() == 3
    assert (b.place, m.attendees) == ("一楼公告栏", 25)


@pytest.mark.parametrize(("kind", "fields", "field"), [
    (Kind.MEDIA, {"outlet": "哈尔滨日报"}, "level"),
    (Kind.MEDIA, {"level": "city"}, "outlet"),
    (Kind.MEDIA, {"outlet": "x", "level": "city", "published_on": dt.date(2023, 5, 1)}, "published_on"),
    (Kind.BOARD, {}, "place"),
    (Kind.BOARD, {"place": "栏", "removed_on": dt.date(2023, 5, 1)}, "removed_on"),
    (Kind.MEETING, {"outlet": "哈尔滨日报"}, "outlet"),  # a field the kind does not use
    (Kind.WECHAT, {"link": "mp.weixin.qq.com/s/x"}, "link"),
])
def test_bad_entries_are_refused_per_field(world, kind, fields, field):
    with pytest.raises(Invalid) as exc:
        s.entry_create(body=world["street"], actor=world["clerk"], kind=kind, title="t", on=D, **fields)
    assert field in exc.value.details, exc.value.details
    assert not Entry.objects.exists()


def test_only_registering_staff_of_the_body_log(world):
    for who in ("supervisor", "outsider"):
        with pytest.raises(Forbidden):
            _media(world, actor=None) if False else s.entry_create(
                body=world["street"], actor=world[who], kind=Kind.MEETING, title="会", on=D)


# --- XLSX import -------------------------------------------------------------------------------
def _filled_template(media_rows, *, other=None):
    from openpyxl import load_workbook

    from gongkai.web.channels.xlsx import template

    wb = load_workbook(io.BytesIO(template()))
    for ws in wb.worksheets[1:]:
        ws.delete_rows(2)  # the example row
    for row in media_rows:
        wb["媒体投稿"].append(row)
    for name, rows in (other or {}).items():
        for row in rows:
            wb[name].append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


MEDIA_ROWS = [
    ("垃圾分类进社区", "哈尔滨日报", "市", "垃圾分类信息", dt.date(2023, 3, 1), dt.date(2023, 3, 3), "", ""),
    ("消防安全大检查", "黑龙江日报", "省级", "消防安全检查", "2023/3/10", "2023年3月12日", "", ""),
    ("文艺汇演", "南岗发布", "镇", "组织开展文艺活动类信息", dt.date(2023, 4, 1), None, "", ""),  # bad level
    ("清冰雪", "南岗区融媒体中心", "区", "清冰雪信息", dt.date(2023, 1, 9), None, "", ""),
]


def test_import_reports_the_bad_row_and_keeps_the_rest_once(world):
    data = _filled_template(MEDIA_ROWS, other={"会议讲座培训": [("政策会议", "条例学习会", dt.date(2023, 2, 1), 30, "", ""),
                                                               ("座谈", "x", dt.date(2023, 2, 1), 3, "", "")]})
    result = s.entries_import_xlsx(body=world["street"], actor=world["clerk"], data=data)
    assert len(result.created) == 4
    assert [(e.sheet, e.row) for e in result.errors] == [("媒体投稿", 4), ("会议讲座培训", 3)]
    assert "媒体级别" in result.errors[0].message and "镇" in result.errors[0].message
    assert Entry.objects.filter(kind=Kind.MEDIA).count() == 3
    fire = Entry.objects.get(title="消防安全大检查")
    assert (fire.level, fire.on, fire.published_on, fire.source) == ("provincial", dt.date(2023, 3, 10),
                                                                      dt.date(2023, 3, 12), "import")
    again = s.entries_import_xlsx(body=world["street"], actor=world["clerk"], data=data)
    assert (len(again.created), len(again.duplicates), len(again.errors)) == (0, 4, 2)
    assert Entry.objects.count() == 4


def test_import_refuses_what_is_not_a_log(world):
    with pytest.raises(Invalid):
        s.entries_import_xlsx(body=world["street"], actor=world["clerk"], data=b"not a workbook")
    from openpyxl import Workbook

    wb, out = Workbook(), io.BytesIO()
    wb.active.append(["姓名", "电话"])
    wb.save(out)
    with pytest.raises(Invalid, match="没有找到可导入的工作表"):
        s.entries_import_xlsx(body=world["street"], actor=world["clerk"], data=out.getvalue())


def test_import_with_an_unknown_index_no_reports_the_row(world, publish):
    item = publish("七政街道低保公示")
    data = _filled_template([], other={"公告栏": [("低保公示", "一楼", dt.date(2023, 6, 1), None, item.index_no, ""),
                                                 ("别的", "一楼", dt.date(2023, 6, 2), None, "GK9/2023-00009", "")]})
    result = s.entries_import_xlsx(body=world["street"], actor=world["clerk"], data=data)
    assert len(result.created) == 1 and result.created[0].item_id == item.pk
    assert result.errors[0].row == 3 and "GK9/2023-00009" in result.errors[0].message


# --- publishing helpers -------------------------------------------------------------------------
def test_sheet_pdf_carries_a_qr_code_of_the_portal_page(world, publish, client):
    import cv2
    import numpy as np
    import pypdfium2

    item = publish("七政街道最低生活保障对象公示", text="根据有关规定，现将新增对象公示如下。\n公示期七天。")
    client.force_login(world["clerk"])
    resp = client.post(f"/staff/channels/item/{item.pk}/", {"action": "sheet", "on": "2023-06-01",
                                                             "place": "一楼公告栏", "size": "A3"})
    assert resp.status_code == 302
    entry = Entry.objects.get(kind=Kind.BOARD)
    assert (entry.item_id, entry.place, entry.source, entry.on) == (item.pk, "一楼公告栏", "helper", dt.date(2023, 6, 1))
    pdf = client.get(resp["Location"])
    assert pdf["Content-Type"] == "application/pdf"
    page = pypdfium2.PdfDocument(pdf.content)[0]
    assert round(page.get_width() / 72 * 25.4) == 297  # A3
    image = np.array(page.render(scale=2).to_pil().convert("RGB"))
    text, _points, _ = cv2.QRCodeDetector().detectAndDecode(image)
    assert text == f"http://testserver/xxgk/item/{item.index_no}/"
    # printing it again for the same place and day logs no second posting
    client.post(f"/staff/channels/item/{item.pk}/", {"action": "sheet", "on": "2023-06-01", "place": "一楼公告栏"})
    assert Entry.objects.filter(kind=Kind.BOARD).count() == 1


def test_article_has_inline_styles_and_keeps_images(world, publish, client, settings, tmp_path):
    from gongkai.web.catalog import services as cs
    from gongkai.web.channels.publish import article_html

    item = cs.item_create(body=world["street"], author=world["clerk"], title="垃圾分类宣传", text="第一段。\n第二段。")
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
           b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
    att = cs.attachment_add(item=item, actor=world["clerk"], name="现场.png", data=png)
    cs.item_submit(item=item, actor=world["clerk"])
    cs.item_review(item=item, reviewer=world["reviewer"], approve=True, basis="不涉密")
    item = cs.item_publish(item=item, actor=world["clerk"])
    html = article_html(item, base="https://gk.example.org/")
    assert "<style" not in html and "class=" not in html
    assert html.count('style="') >= 5
    assert f'<img src="https://gk.example.org/xxgk/item/{item.index_no}/file/{att.pk}/"' in html
    assert "第二段。" in html and item.index_no in html
    client.force_login(world["clerk"])
    client.post(f"/staff/channels/item/{item.pk}/", {"action": "article", "on": "2023-07-01"})
    assert Entry.objects.filter(kind=Kind.WECHAT, item=item, source="helper").count() == 1


def test_helpers_refuse_an_unpublished_item(world, client):
    from gongkai.web.catalog import services as cs

    item = cs.item_create(body=world["street"], author=world["clerk"], title="草稿")
    client.force_login(world["clerk"])
    assert client.get(f"/staff/channels/item/{item.pk}/").status_code == 422
    assert client.get(f"/staff/channels/item/{item.pk}/sheet.pdf").status_code == 422
    client.force_login(world["outsider"])
    assert client.get(f"/staff/channels/item/{item.pk}/").status_code == 404


# --- API ---------------------------------------------------------------------------------------
def _api(client, method, path, payload=None):
    return getattr(client, method)(f"/api/channels{path}", data=json.dumps(payload) if payload is not None else None,
                                   content_type="application/json")


def test_api_logs_filters_and_changes_entries(world, client):
    client.force_login(world["clerk"])
    body = world["street"].pk
    r = _api(client, "post", "/entries", {"body_id": body, "kind": "media", "title": "稿", "on": "2023-05-04",
                                          "outlet": "哈尔滨日报", "level": "city", "published_on": "2023-05-06"})
    assert r.status_code == 201, r.content
    eid = r.json()["id"]
    assert r.json()["source"] == "api"
    bad = _api(client, "post", "/entries", {"body_id": body, "kind": "media", "title": "稿", "on": "2023-05-04"})
    assert bad.status_code == 422 and "outlet" in bad.json()["error"]["details"]
    assert [e["id"] for e in _api(client, "get", f"/entries?body={body}&year=2023&key=level:city").json()] == [eid]
    assert _api(client, "get", f"/entries?body={body}&year=2024&key=published").json() == []
    r = _api(client, "patch", f"/entries/{eid}", {"level": "provincial"})
    assert r.status_code == 200 and r.json()["level"] == "provincial"
    figures = {f["key"]: f["value"] for f in _api(client, "get", f"/figures?body={body}&year=2023").json()}
    assert figures["published"] == 1 and figures["level:provincial"] == 1
    assert _api(client, "delete", f"/entries/{eid}", {"reason": ""}).status_code == 422
    assert _api(client, "delete", f"/entries/{eid}", {"reason": "重复登记"}).status_code == 204
    client.force_login(world["outsider"])
    assert _api(client, "post", "/entries", {"body_id": body, "kind": "meeting", "title": "会",
                                             "on": "2023-05-04"}).status_code == 404
    client.force_login(world["supervisor"])
    assert _api(client, "post", "/entries", {"body_id": body, "kind": "meeting", "title": "会",
                                             "on": "2023-05-04"}).status_code == 403


# --- section 一 and the supervisors -----------------------------------------------------------------
def _seed_log(world):
    from gongkai.web.channels.demo import load_channels_demo

    return load_channels_demo(bodies={"七政": world["street"]}, users={"dengji": world["clerk"]})


def test_demo_figures_reproduce_the_seed_sentences_in_the_draft(world):
    from gongkai.examples import load
    from gongkai.web.reports.services import draft_of

    _seed_log(world)
    text = unicodedata.normalize("NFKC", draft_of(body=world["street"], year=2023).section(1).text)
    seed = unicodedata.normalize("NFKC", load("qizheng-2023").section(1).text)
    for sentence in ("全年共召开相关政策会议21场次,宣传讲座11场次。", "平均每月投稿10余篇,刊登101篇。",
                     ("其中省级媒体刊登11篇,市级媒体刊登15篇,包括解决百姓民生问题36篇、消防安全检查22篇、垃圾分类信息10篇、"
                      "清冰雪信息6篇、组织开展文艺活动类信息18篇。"), "以公告栏的形式公示了36次。"):
        assert sentence in text, (sentence, text[:400])
        assert sentence in seed


def test_composer_shows_the_figures_and_w10_flags_an_edited_number(world, client):
    from gongkai.web.reports.services import report_start

    _seed_log(world)
    rep = report_start(body=world["street"], year=2023, actor=world["clerk"])
    client.force_login(world["clerk"])
    page = client.get(f"/staff/reports/{rep.pk}/").content.decode()
    assert 'data-key="meetings">21</a>' in page and 'data-key="board">36</a>' in page
    assert f"/staff/channels/?body={world['street'].pk}&year=2023&key=level%3Aprovincial" in page
    assert '<span class="badge">W10</span>' not in page
    s1 = rep.report.section(1).text.replace("公示了36次", "公示了38次")
    panel = client.post(f"/staff/reports/{rep.pk}/check/", {"s1": s1}).content.decode()
    assert '<span class="badge">W10</span>' in panel and "38" in panel and "公告栏公示次数为 36" in panel
    listing = client.get(f"/staff/channels/?body={world['street'].pk}&year=2023&key=level:provincial")
    assert listing.content.decode().count('data-kind="media"') == 11


def test_supervisors_see_each_body_and_the_sum(world, client):
    _seed_log(world)
    s.entry_create(body=world["other"], actor=world["outsider"], kind=Kind.MEETING, title="会", on=D)
    client.force_login(world["supervisor"])
    data = client.get("/api/channels/figures/rollup?year=2023").json()
    by_body = {b["body_id"]: b["values"] for b in data["bodies"]}
    assert by_body[world["street"].pk]["meetings"] == 21 and by_body[world["other"].pk]["meetings"] == 1
    assert data["total"]["meetings"] == 22 and data["total"]["published"] == 101
    page = client.get("/staff/channels/figures/?year=2023").content.decode()
    assert "南岗区革新街道办事处" in page and "合计（3 个机关）" in page
    client.force_login(world["outsider"])
    mine = client.get("/api/channels/figures/rollup?year=2023").json()
    assert [b["body_id"] for b in mine["bodies"]] == [world["other"].pk]


def test_template_downloads_with_its_four_sheets(world, client):
    from openpyxl import load_workbook

    client.force_login(world["clerk"])
    resp = client.get("/staff/channels/template.xlsx")
    wb = load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames == ["填写说明", "公众号和微博", "公告栏", "媒体投稿", "会议讲座培训"]


def test_api_import_and_the_edit_form_keeps_the_channel(world, client):
    client.force_login(world["clerk"])
    data = _filled_template(MEDIA_ROWS)
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = client.post(f"/api/channels/import?body={world['street'].pk}",
                    {"file": SimpleUploadedFile("media.xlsx", data)})
    assert r.status_code == 200, r.content
    assert (r.json()["created"], [e["row"] for e in r.json()["errors"]]) == (3, [4])
    entry = Entry.objects.get(title="清冰雪")
    page = client.post(f"/staff/channels/{entry.pk}/", {"kind": "meeting", "title": "清冰雪", "on": "2023-01-09",
                                                        "outlet": "南岗区融媒体中心", "level": "district",
                                                        "published_on": "2023-01-12"})
    assert page.status_code == 302
    entry.refresh_from_db()
    assert (entry.kind, entry.published_on) == ("media", dt.date(2023, 1, 12))
