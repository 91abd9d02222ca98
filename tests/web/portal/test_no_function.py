"""「本机关无此项职能」 only where the body declared it, with its basis (issue 12 item 7).

Before: the 区 and 市 demo pages said 本机关无此项职能 for every one of the 15 categories that had no item yet."""
from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.web.audit.models import AuditEntry
from gongkai.web.bodies.models import Role
from gongkai.web.bodies.services import membership_grant, user_create
from gongkai.web.core.errors import Forbidden, Invalid
from gongkai.web.portal.services import no_function_set


@pytest.fixture
def admin(world):
    user = user_create(username="guanli", password="secret-pass-1", full_name="管理员甲")
    membership_grant(user=user, body=world["street"], role=Role.ADMIN)
    return user


def test_empty_catalog_claims_nothing_until_declared(client, world, admin):
    url = reverse("portal:catalog", args=[world["street"].pk])
    html = client.get(url).content.decode()
    assert "本机关无此项职能" not in html and "暂无已发布的信息" in html
    no_function_set(body=world["street"], actor=admin, declared={"fees": "本街道“三定”方案未规定行政事业性收费职能"})
    html = client.get(url).content.decode()  # the page cache must not serve the old page
    assert "本机关无此项职能：行政事业性收费" in html
    entry = AuditEntry.objects.get(action="portal.no_function")
    assert entry.after == {"无此项职能": {"行政事业性收费": "本街道“三定”方案未规定行政事业性收费职能"}}


def test_a_published_item_outweighs_a_declaration(client, world, admin, publish):
    no_function_set(body=world["street"], actor=admin, declared={"finance": "误报"})
    publish("七政街道2025年部门决算", category="finance")
    html = client.get(reverse("portal:catalog", args=[world["street"].pk])).content.decode()
    assert "本机关无此项职能" not in html and "?category=finance" in html


def test_grassroots_areas_follow_the_same_rule(client, world, admin):
    url = reverse("portal:grassroots", args=[world["street"].pk])
    assert "本机关不涉及" not in client.get(url).content.decode()
    no_function_set(body=world["street"], actor=admin, declared={"homestead": "城市街道，无农村宅基地"})
    assert "本机关不涉及宅基地审核" in client.get(url).content.decode()


def test_only_the_admin_declares_and_each_declaration_has_a_basis(world, admin):
    with pytest.raises(Forbidden):
        no_function_set(body=world["street"], actor=world["reviewer"], declared={"fees": "依据"})
    with pytest.raises(Invalid, match="须写明依据"):
        no_function_set(body=world["street"], actor=admin, declared={"fees": "  "})
    with pytest.raises(Invalid, match="无法识别"):
        no_function_set(body=world["street"], actor=admin, declared={"nonsense": "依据"})


def test_staff_page_saves_and_unchecks(client, world, admin):
    client.force_login(admin)
    url = reverse("portal:no-function", args=[world["street"].pk])
    page = client.get(url).content.decode()
    assert "第二十条（八） 行政事业性收费" in page and "宅基地审核" in page
    r = client.post(url, {"category": ["fees"], "basis_fees": "“三定”方案未规定"})
    assert r.status_code == 302
    assert "本机关无此项职能：行政事业性收费" in client.get(reverse("portal:catalog", args=[world["street"].pk])).content.decode()
    r = client.post(url, {"category": ["fees"], "basis_fees": ""})
    assert "须写明依据" in r.content.decode()
    client.post(url, {})  # nothing checked: every declaration withdrawn
    assert "本机关无此项职能" not in client.get(reverse("portal:catalog", args=[world["street"].pk])).content.decode()
    client.force_login(world["clerk"])
    assert client.post(url, {"category": ["fees"], "basis_fees": "x"}).status_code == 403
