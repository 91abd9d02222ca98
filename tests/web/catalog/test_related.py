"""相关解读: a document and its 政策解读 linked both ways — the services, the staff page and the portal page."""
from __future__ import annotations

import pytest
from django.test import Client

from gongkai.web.audit.models import AuditEntry
from gongkai.web.catalog import services as s
from gongkai.web.catalog.models import Item, ItemState
from gongkai.web.core.errors import Conflict, Forbidden, Invalid

DOC = "七政街道关于加强物业管理的实施意见"
READING = "《七政街道关于加强物业管理的实施意见》政策解读"


def _draft(world, title, *, body="street", author="clerk", **fields):
    return s.item_create(body=world[body], author=world[author], title=title, text=f"{title}的正文。", **fields)


def _related(item):
    return set(Item.objects.get(pk=item.pk).related.values_list("pk", flat=True))


def _link_entries(*items):
    return AuditEntry.objects.filter(action__in=("catalog.link", "catalog.unlink"),
                                     subject_type="catalog.item", subject_id__in=[str(i.pk) for i in items])


# --- services -----------------------------------------------------------------------------------
def test_link_is_symmetric_audited_and_leaves_the_review_alone(world, publish):
    doc = publish(DOC)
    reading = _draft(world, READING)
    s.item_submit(item=reading, actor=world["clerk"])
    before = {i.pk: (i.state, i.approved_by_id, i.updated_at, i.index_no)
              for i in Item.objects.filter(pk__in=[doc.pk, reading.pk])}

    s.item_link(item=doc, other=reading, actor=world["clerk"])

    assert _related(doc) == {reading.pk} and _related(reading) == {doc.pk}
    after = {i.pk: (i.state, i.approved_by_id, i.updated_at, i.index_no)
             for i in Item.objects.filter(pk__in=[doc.pk, reading.pk])}
    assert after == before  # published stays published, submitted stays submitted, nothing re-reviewed
    assert Item.objects.get(pk=reading.pk).state == ItemState.SUBMITTED
    entries = list(_link_entries(doc, reading).order_by("pk"))
    assert [(e.action, e.subject_id, e.body_id, e.actor_id) for e in entries] == [
        ("catalog.link", str(doc.pk), world["street"].pk, world["clerk"].pk),
        ("catalog.link", str(reading.pk), world["street"].pk, world["clerk"].pk)]
    assert entries[0].before == {"related": []} and entries[0].after == {"related": [reading.pk]}
    assert entries[1].before == {"related": []} and entries[1].after == {"related": [doc.pk]}
    assert doc.index_no in entries[1].note

    # unlinking from the other side removes both directions, again one entry per item
    s.item_unlink(item=reading, other=doc, actor=world["clerk2"])
    assert _related(doc) == set() and _related(reading) == set()
    unlinks = list(_link_entries(doc, reading).filter(action="catalog.unlink").order_by("pk"))
    assert [(e.subject_id, e.before, e.after, e.actor_id) for e in unlinks] == [
        (str(reading.pk), {"related": [doc.pk]}, {"related": []}, world["clerk2"].pk),
        (str(doc.pk), {"related": [reading.pk]}, {"related": []}, world["clerk2"].pk)]
    assert Item.objects.get(pk=doc.pk).state == ItemState.PUBLISHED


def test_an_item_can_have_several_readings_and_links_are_independent(world, publish):
    doc = publish(DOC)
    r1, r2 = _draft(world, "图解"), _draft(world, "答记者问")
    s.item_link(item=doc, other=r1, actor=world["clerk"])
    s.item_link(item=r2, other=doc, actor=world["clerk"])
    assert _related(doc) == {r1.pk, r2.pk} and _related(r1) == {doc.pk} and _related(r2) == {doc.pk}
    assert _link_entries(r2).get().after == {"related": [doc.pk]}
    assert _link_entries(doc).order_by("-pk").first().after == {"related": sorted([r1.pk, r2.pk])}
    s.item_unlink(item=doc, other=r1, actor=world["clerk"])
    assert _related(doc) == {r2.pk} and _related(r1) == set()


def test_link_refusals_change_nothing(world, publish):
    doc = publish(DOC)
    reading = _draft(world, READING)
    theirs = _draft(world, "革新街道的解读", body="other", author="outsider")
    cases = [
        (Invalid, "自己", (doc, doc, world["clerk"])),
        (Invalid, "其他机关", (doc, theirs, world["clerk"])),
        (Invalid, "其他机关", (theirs, doc, world["outsider"])),
        (Forbidden, "权限", (doc, reading, world["outsider"])),  # another body's staff
        (Forbidden, "权限", (doc, reading, world["supervisor"])),  # 督查 reads, never changes
    ]
    entries = AuditEntry.objects.count()
    for error, words, (item, other, actor) in cases:
        with pytest.raises(error) as info:
            s.item_link(item=item, other=other, actor=actor)
        assert words in info.value.message, (item, other, actor, info.value.message)
    assert not Item.related.through.objects.exists() and AuditEntry.objects.count() == entries

    s.item_link(item=doc, other=reading, actor=world["clerk"])
    entries = AuditEntry.objects.count()
    with pytest.raises(Conflict, match="已经关联"):
        s.item_link(item=reading, other=doc, actor=world["clerk"])
    for actor in ("outsider", "supervisor"):
        with pytest.raises(Forbidden):
            s.item_unlink(item=doc, other=reading, actor=world[actor])
    assert _related(doc) == {reading.pk} and AuditEntry.objects.count() == entries
    s.item_unlink(item=doc, other=reading, actor=world["clerk"])
    with pytest.raises(Conflict, match="没有关联"):
        s.item_unlink(item=doc, other=reading, actor=world["clerk"])


# --- staff page ---------------------------------------------------------------------------------
def _page(client, item, query=""):
    r = client.get(f"/staff/catalog/{item.pk}/{query}")
    assert r.status_code == 200
    return r.content.decode()


def test_staff_link_and_unlink_on_the_item_page(world, publish, client):
    doc = publish(DOC)
    reading = _draft(world, READING)
    newer = publish("七政街道2025年工作要点")
    theirs = _draft(world, "革新街道的解读", body="other", author="outsider")
    client.force_login(world["clerk"])
    url = f"/staff/catalog/{doc.pk}/"

    html = _page(client, doc)
    assert "相关解读" in html and 'name="action" value="link"' in html and "csrfmiddlewaretoken" in html
    # the select offers the body's other items, newest first, never the item itself or another body's items
    assert html.index(f'<option value="{newer.pk}"') < html.index(f'<option value="{reading.pk}"')
    assert f"（{newer.index_no}）" in html and "（草稿）" in html
    assert f'<option value="{doc.pk}"' not in html and theirs.title not in html

    r = client.post(url, {"action": "link", "other": reading.pk}, follow=True)
    assert r.redirect_chain[-1][0] == url and f"已关联“{READING}”" in r.content.decode()
    assert _related(doc) == {reading.pk} and _related(reading) == {doc.pk}
    assert Item.objects.get(pk=reading.pk).state == ItemState.DRAFT
    # shown on both items' pages, with the state; already linked items leave the select
    assert READING in _page(client, doc) and f'<option value="{reading.pk}"' not in _page(client, doc)
    assert DOC in _page(client, reading)

    r = client.post(url, {"action": "link", "index_no": f"  {newer.index_no} "}, follow=True)
    assert f"已关联“{newer.title}”" in r.content.decode() and _related(doc) == {reading.pk, newer.pk}

    for data, message in (({"index_no": "GK0000001/2026-99999"}, "未找到索引号为 GK0000001/2026-99999 的信息"),
                          ({}, "二者选一"),
                          ({"index_no": newer.index_no, "other": reading.pk}, "二者选一"),
                          ({"other": theirs.pk}, "不属于本机关"),
                          ({"other": doc.pk}, "不属于本机关"),
                          ({"other": reading.pk}, "已经关联")):
        r = client.post(url, {"action": "link", **data}, follow=True)
        assert message in r.content.decode(), (data, message)
    assert _related(doc) == {reading.pk, newer.pk}

    r = client.post(url, {"action": "unlink", "other": reading.pk}, follow=True)
    assert f"已取消与“{READING}”的关联" in r.content.decode()
    assert _related(doc) == {newer.pk} and _related(reading) == set()
    assert "未找到要取消关联的信息" in client.post(url, {"action": "unlink", "other": theirs.pk},
                                                 follow=True).content.decode()
    assert list(_link_entries(doc).values_list("action", flat=True).order_by("pk")) == [
        "catalog.link", "catalog.link", "catalog.unlink"]


def test_staff_search_box_narrows_the_select(world, publish, client):
    doc = publish(DOC)
    reading = _draft(world, READING)
    other = _draft(world, "七政街道垃圾分类工作方案")
    client.force_login(world["clerk"])
    html = _page(client, doc, "?related_q=垃圾分类")
    assert f'<option value="{other.pk}"' in html and f'<option value="{reading.pk}"' not in html
    # the pick is validated against the whole body, not only the options shown
    r = client.post(f"/staff/catalog/{doc.pk}/", {"action": "link", "other": reading.pk}, follow=True)
    assert "已关联" in r.content.decode() and _related(doc) == {reading.pk}


def test_staff_without_register_cannot_link(world, publish, client):
    doc = publish(DOC)
    reading = _draft(world, READING)
    s.item_link(item=doc, other=reading, actor=world["clerk"])
    entries = AuditEntry.objects.count()
    client.force_login(world["supervisor"])
    html = _page(client, doc)
    assert READING in html  # the 督查 sees the links ...
    assert 'value="link"' not in html and 'value="unlink"' not in html  # ... but no buttons
    for data in ({"action": "unlink", "other": reading.pk}, {"action": "link", "index_no": doc.index_no}):
        r = client.post(f"/staff/catalog/{doc.pk}/", data, follow=True)
        assert "没有关联该信息的权限" in r.content.decode()
    client.force_login(world["outsider"])
    assert client.post(f"/staff/catalog/{doc.pk}/", {"action": "unlink", "other": reading.pk}).status_code == 404
    assert _related(doc) == {reading.pk} and AuditEntry.objects.count() == entries


def test_staff_link_needs_the_csrf_token(world, publish):
    doc = publish(DOC)
    reading = _draft(world, READING)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["clerk"])
    r = client.post(f"/staff/catalog/{doc.pk}/", {"action": "link", "other": reading.pk})
    assert r.status_code == 403 and _related(doc) == set()
    token = client.get(f"/staff/catalog/{doc.pk}/").cookies["csrftoken"].value
    r = client.post(f"/staff/catalog/{doc.pk}/", {"action": "link", "other": reading.pk,
                                                  "csrfmiddlewaretoken": token})
    assert r.status_code == 302 and _related(doc) == {reading.pk}


# --- portal -------------------------------------------------------------------------------------
def _public(client, item):
    r = client.get(f"/xxgk/item/{item.index_no}/")
    assert r.status_code == 200
    html = r.content.decode()
    return html.split("相关解读", 1)[1] if "相关解读" in html else ""


def test_portal_shows_public_readings_both_ways_and_never_unpublished_ones(world, publish, client):
    doc = publish(DOC)
    reading = publish(READING)
    draft = _draft(world, "七政街道尚未审查的解读草稿")
    s.item_link(item=doc, other=reading, actor=world["clerk"])
    s.item_link(item=draft, other=doc, actor=world["clerk"])

    section = _public(client, doc)
    assert READING in section and f"/xxgk/item/{reading.index_no}/" in section
    assert draft.title not in client.get(f"/xxgk/item/{doc.index_no}/").content.decode()
    section = _public(client, reading)
    assert DOC in section and f"/xxgk/item/{doc.index_no}/" in section

    # the draft appears only once reviewed and published (and only then, through the ordinary review)
    s.item_submit(item=draft, actor=world["clerk"])
    assert draft.title not in _public(client, doc)
    s.item_review(item=draft, reviewer=world["reviewer"], approve=True, basis="不涉密")
    assert draft.title not in _public(client, doc)
    draft = s.item_publish(item=draft, actor=world["clerk"])
    assert draft.title in _public(client, doc) and DOC in _public(client, draft)

    # a withdrawn reading disappears from the document's page, and its own page is gone
    s.item_withdraw(item=reading, actor=world["reviewer"], reason="解读内容有误")
    page = client.get(f"/xxgk/item/{doc.index_no}/").content.decode()
    assert READING not in page and draft.title in _public(client, doc)
    assert client.get(f"/xxgk/item/{reading.index_no}/").status_code == 404
    # with no public reading left, the heading goes too
    s.item_unlink(item=doc, other=draft, actor=world["clerk"])
    assert "相关解读" not in client.get(f"/xxgk/item/{doc.index_no}/").content.decode()
    assert _related(doc) == {reading.pk}  # the withdrawn link is still recorded, just never shown
