"""The public page cache never serves a stale page: whatever changes what a page shows (through the services,
a bulk update that bypasses them, an attachment, a 解读 link, a body's settings) takes effect on the next request."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.web.bodies.models import Body
from gongkai.web.catalog import services as s
from gongkai.web.catalog.models import Item
from gongkai.web.portal.cache import generation


def _get(client, url, **kw):
    with CaptureQueriesContext(connection) as q:
        resp = client.get(url, **kw)
    return resp, len(q.captured_queries)


def test_a_page_is_served_from_the_cache_until_public_data_changes(client, world, publish):
    item = publish("七政街道防汛应急预案")
    url = reverse("portal:item", args=[item.index_no])
    first, n_first = _get(client, url)
    again, n_again = _get(client, url)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert n_first > 1 and n_again == 1  # a hit reads the generation only
    s.item_withdraw(item=Item.objects.get(pk=item.pk), actor=world["reviewer"], reason="撤回")
    assert client.get(url).status_code == 404
    for page in (reverse("portal:search") + "?q=防汛", reverse("portal:catalog", args=[world["street"].pk])):
        assert "防汛应急预案" not in client.get(page).content.decode()


def test_a_bulk_update_that_bypasses_the_services_still_ends_the_cached_page(client, world, publish):
    item = publish("七政街道2025年部门预算")
    url = reverse("portal:item", args=[item.index_no])
    search = reverse("portal:search") + "?q=部门预算"
    assert client.get(url).status_code == 200 and "部门预算" in client.get(search).content.decode()
    Item.objects.filter(pk=item.pk).update(state="withdrawn")  # raw bulk update: no signal, no service
    assert client.get(url).status_code == 404


def test_attachments_links_and_body_settings_show_at_once(client, world, publish):
    policy = publish("七政街道临时救助实施办法")
    url = reverse("portal:item", args=[policy.index_no])
    assert "相关解读" not in client.get(url).content.decode()
    reading = publish("《七政街道临时救助实施办法》政策解读")
    s.item_link(item=Item.objects.get(pk=policy.pk), other=Item.objects.get(pk=reading.pk), actor=world["clerk"])
    assert "政策解读" in client.get(url).content.decode()
    Body.objects.filter(pk=world["street"].pk).update(phone="0451-12345678")
    assert "0451-12345678" in client.get(url).content.decode()


def test_each_reading_aid_variant_is_cached_separately(client, world, publish):
    item = publish()
    url = reverse("portal:item", args=[item.index_no])
    assert 'class="size-m' in client.get(url).content.decode()
    client.cookies["gk_size"] = "l"
    assert 'class="size-l' in client.get(url).content.decode()


def test_application_and_status_pages_are_never_cached(client, world, monkeypatch):
    from gongkai.web.portal import cache

    looked_up = []
    monkeypatch.setattr(cache, "generation", lambda: looked_up.append(1) or 0)
    for url in (reverse("portal:apply", args=[world["street"].pk]), reverse("portal:status") + "?code=ABCD-EFGH-JKLM"):
        client.get(url)
        client.get(url)
    assert not looked_up  # the cache was never consulted
    client.get(reverse("portal:home"))
    assert looked_up  # (while a public page does consult it)


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_editing_drafts_does_not_end_cached_pages(world):
    before = generation()
    item = s.item_create(body=world["street"], author=world["clerk"], title="草稿", text="草稿正文")
    s.item_update(item=item, actor=world["clerk"], title="草稿二")
    assert generation() == before
