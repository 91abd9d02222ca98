"""The portal never shows what was not reviewed and published, nor internal notes, nor applicants' data."""
from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.web.catalog import services as s
from gongkai.web.catalog.models import Item

SECRET = "内部备注机密词"


@pytest.fixture
def hidden(world):
    """One item in every non-public state, each with a unique word in its title, text and internal note."""
    out = {}
    for fate in ("draft", "submitted", "returned", "approved", "withdrawn", "on_request"):
        item = s.item_create(body=world["street"], author=world["clerk"], title=f"不应公开{fate}标题",
                             text=f"不应公开{fate}正文", internal_note=SECRET,
                             disclosure="on_request" if fate == "on_request" else "proactive")
        if fate != "draft":
            s.item_submit(item=item, actor=world["clerk"])
        if fate == "returned":
            s.item_review(item=item, reviewer=world["reviewer"], approve=False, reasons="涉密")
        if fate in ("approved", "withdrawn", "on_request"):
            s.item_review(item=item, reviewer=world["reviewer"], approve=True, basis="ok")
        if fate == "withdrawn":
            item = s.item_publish(item=item, actor=world["clerk"])
            s.item_withdraw(item=item, actor=world["reviewer"], reason="撤回")
        out[fate] = Item.objects.get(pk=item.pk)
    return out


def _pages(client, body):
    urls = [reverse("portal:home"), reverse("portal:body", args=[body.pk]), reverse("portal:catalog", args=[body.pk]),
            reverse("portal:catalog", args=[body.pk]) + "?category=other", reverse("portal:feed", args=[body.pk]),
            reverse("portal:rules", args=[body.pk]), reverse("portal:grassroots", args=[body.pk]),
            reverse("portal:search") + "?q=不应公开", reverse("portal:search") + "?q=公开",
            reverse("portal:search") + f"?q=不应&body={body.pk}", reverse("portal:search") + "?title=不应公开"]
    return {u: client.get(u).content.decode() for u in urls}


def test_unreviewed_or_rejected_items_are_invisible_everywhere(client, world, publish, hidden):
    visible = publish("可以公开的信息", internal_note=SECRET)
    pages = _pages(client, world["street"])
    for url, html in pages.items():
        for fate in hidden:
            assert f"不应公开{fate}" not in html, (url, fate)
        assert SECRET not in html, url
    assert "可以公开的信息" in pages[reverse("portal:body", args=[world["street"].pk])]
    assert "可以公开的信息" in pages[reverse("portal:feed", args=[world["street"].pk])]
    # guessing URLs: the withdrawn item had a 索引号; others have none — try every id-like path too
    assert client.get(reverse("portal:item", args=[hidden["withdrawn"].index_no])).status_code == 404
    assert client.get(reverse("portal:item", args=[visible.index_no])).status_code == 200
    for item in hidden.values():
        assert client.get(f"/xxgk/item/{item.pk}/").status_code == 404
        assert client.get(f"/api/catalog/items/{item.pk}").status_code in (401, 404)


def test_item_page_shows_metadata_but_not_internal_notes(client, world, publish):
    item = publish("七政街道临时救助实施办法", doc_number="七政办发〔2024〕5号", doc_kind="normative",
                   validity="valid", subject="民政\\社会救助", internal_note=SECRET)
    html = client.get(reverse("portal:item", args=[item.index_no])).content.decode()
    for text in (item.index_no, "七政办发〔2024〕5号", "南岗区七政街道办事处", "有效", "民政\\社会救助"):
        assert text in html
    assert SECRET not in html


def test_search_ranks_and_highlights(client, world, publish):
    publish("七政街道防汛应急预案", text="为做好辖区防汛工作，制定本预案。")
    publish("七政街道2025年部门预算", text="预算说明：防汛物资经费10万元。")
    html = client.get(reverse("portal:search"), {"q": "防汛应急"}).content.decode()
    assert "共找到 1 条结果" in html and "<mark>防汛应急</mark>" in html
    html = client.get(reverse("portal:search"), {"q": "防汛"}).content.decode()  # 2 characters: the bigram index
    assert "共找到 2 条结果" in html and "<mark>防汛</mark>应急预案" in html
    assert html.index("应急预案") < html.index("部门预算")  # the title match first, although older
    html = client.get(reverse("portal:search"), {"q": "防汛工作"}).content.decode()  # body text only
    assert "共找到 1 条结果" in html and "<mark>防汛工作</mark>" in html
    html = client.get(reverse("portal:search"), {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_search_by_index_number_and_category(client, world, publish):
    a = publish("关于木兰街沿街门市房屋征收补偿方案的公告", category="projects")
    publish("七政街道2025年部门决算", category="finance")
    html = client.get(reverse("portal:search"), {"index_no": a.index_no}).content.decode()
    assert "房屋征收" in html and "部门决算" not in html
    html = client.get(reverse("portal:search"), {"q": "七政街道", "category": "finance"}).content.decode()
    assert "部门决算" in html and "房屋征收" not in html


def test_catalog_browse_has_no_empty_columns(client, world, publish):
    publish("七政街道2025年部门决算", category="finance")
    html = client.get(reverse("portal:catalog", args=[world["street"].pk])).content.decode()
    assert "?category=finance" in html and "?category=procurement" not in html
    # an empty column is not a claim that the body lacks the function: that needs the body's declaration
    assert "本机关无此项职能" not in html and "暂无已发布的信息" in html and "政府采购" in html


def test_guide_is_generated_from_settings_never_invented(client, world):
    html = client.get(reverse("portal:guide", args=[world["street"].pk])).content.decode()
    for text in ("一、政府信息公开工作机构", "综合办", "南岗区木兰街149-2号", "150080", "0451-86319233",
                 "二、主动公开", "三、依申请公开", "四、监督和救济", "国办函〔2020〕109号", "20个工作日"):
        assert text in html, text
    assert "传真号码</dt><dd>无" in html  # not set: shown as 无


def test_site_map_labels_and_order(client, world):
    html = client.get(reverse("portal:body", args=[world["street"].pk])).content.decode()
    labels = ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报", "依申请公开",
              "基层政务公开", "信息检索"]
    nav = html[html.index('class="sitemap'):]
    positions = [nav.index(label) for label in labels]
    assert positions == sorted(positions)


def test_accessibility_switches_work_without_javascript(client, world):
    resp = client.get(reverse("portal:a11y"), {"size": "l", "next": "/"})
    assert resp.status_code == 302 and resp.cookies["gk_size"].value == "l"
    assert 'class="size-l' in client.get("/").content.decode()
    assert client.get(reverse("portal:a11y"), {"next": "https://evil.example/"})["Location"] == "/"


def test_public_api_shows_only_public_items(client, world, publish, hidden):
    item = publish("七政街道防汛应急预案")
    data = client.get("/api/catalog/public/search", {"q": "不应公开"}).json()
    assert data["total"] == 0
    data = client.get("/api/catalog/public/search", {"q": "防汛应急"}).json()
    assert [i["index_no"] for i in data["items"]] == [item.index_no]
    assert "internal_note" not in data["items"][0] and "author_id" not in data["items"][0]
    assert client.get("/api/catalog/public/item", {"index_no": item.index_no}).status_code == 200
    assert client.get("/api/catalog/public/item", {"index_no": hidden["withdrawn"].index_no}).status_code == 404
    assert client.get("/api/catalog/items").status_code == 401  # the staff list needs a login


def test_staff_api_workflow_respects_the_review_rule(client, world):
    client.force_login(world["reviewer"])
    created = client.post("/api/catalog/items", {"body_id": world["street"].pk, "title": "审核人自己的信息"},
                          content_type="application/json")
    assert created.status_code == 201
    item_id = created.json()["id"]
    assert client.post(f"/api/catalog/items/{item_id}/submit").json()["state"] == "submitted"
    own = client.post(f"/api/catalog/items/{item_id}/review", {"approve": True, "basis": "x"},
                      content_type="application/json")
    assert own.status_code == 403 and own.json()["error"]["code"] == "forbidden"
    assert client.post(f"/api/catalog/items/{item_id}/publish").status_code == 409


def test_guide_versions_get_index_numbers_through_the_review(client, world):
    from gongkai.web.catalog import services as cs

    client.force_login(world["clerk"])
    resp = client.post(reverse("catalog:guide"), {"body": world["street"].pk})
    item = Item.objects.get(title__endswith="政府信息公开指南")
    assert resp.status_code == 302 and "南岗区木兰街149-2号" in item.text and "<" not in item.text
    client.logout()
    assert "索引号：" not in client.get(reverse("portal:guide", args=[world["street"].pk])).content.decode()
    cs.item_submit(item=item, actor=world["clerk"])
    cs.item_review(item=item, reviewer=world["reviewer"], approve=True, basis="不涉密")
    item = cs.item_publish(item=item, actor=world["clerk"])
    html = client.get(reverse("portal:guide", args=[world["street"].pk])).content.decode()
    assert f"索引号：{item.index_no}" in html and "更新日期：" in html
