"""The three rules of 保密审查 in the review, and the third outcome 「公开与保密界限不清，暂缓公开」: the item is held
until the 负责人 (or the 保密员, by setting) settles it, with its own queue, reminders and audit; 第二十六条 does not
count it as overdue while held, but the hold is shown."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from gongkai.web.catalog import services as s
from gongkai.web.catalog.models import Hold, Item, ItemState, ReviewResult
from gongkai.web.core.errors import Conflict, Forbidden, Invalid

YES = {"check_reviewed": True, "check_declassified": True, "check_boundary_clear": True}
UNCLEAR = {"check_reviewed": True, "check_declassified": True, "check_boundary_clear": False}
WHY = "标注了重点单位消防设施的具体位置，是否属于工作秘密界限不清"


@pytest.fixture
def people(world):
    from gongkai.web.bodies.models import Role
    from gongkai.web.bodies.services import membership_grant, user_create

    head = world["head"]  # the 负责人 of the street office
    head.email = "head@example.org"
    head.save(update_fields=["email"])
    secrecy = user_create(username="secrecy", password="secret-pass-1", full_name="保密员", email="s@example.org")
    membership_grant(user=secrecy, body=world["street"], role=Role.SECRECY)
    return {"head": head, "secrecy": secrecy}


def _submitted(world, title="七政街道辖区重点单位消防设施分布情况", **kw):
    item = s.item_create(body=world["street"], author=world["clerk"], title=title, text="正文", **kw)
    return s.item_submit(item=item, actor=world["clerk"])


def _hold(world, item):
    return s.item_review(item=item, reviewer=world["reviewer"], approve=False, hold=True, reasons=WHY,
                         checklist=UNCLEAR)


def test_the_reviewer_answers_the_three_rules(world):
    item = _submitted(world)
    with pytest.raises(Invalid, match="逐项回答"):
        s.item_review(item=item, reviewer=world["reviewer"], approve=True, basis="不涉密",
                      checklist={"check_reviewed": True})
    with pytest.raises(Invalid, match="暂缓公开"):
        s.item_review(item=item, reviewer=world["reviewer"], approve=True, basis="不涉密", checklist=UNCLEAR)
    with pytest.raises(Invalid, match="未经解密"):
        s.item_review(item=item, reviewer=world["reviewer"], approve=True, basis="不涉密",
                      checklist=YES | {"check_declassified": False})
    review = s.item_review(item=item, reviewer=world["reviewer"], approve=True, basis="不涉密", checklist=YES)
    assert (review.check_reviewed, review.check_declassified, review.check_boundary_clear) == (True, True, True)


def test_a_hold_keeps_the_item_unpublished_until_the_head_settles_it(world, people):
    from gongkai.web.audit.models import AuditEntry

    item = _submitted(world)
    review = _hold(world, item)
    item.refresh_from_db()
    assert (item.state, review.result, review.check_boundary_clear) == (ItemState.HELD, ReviewResult.HELD, False)
    hold = Hold.objects.get(item=item)
    assert (hold.reason, hold.held_by, hold.settled_at) == (WHY, world["reviewer"], None)
    with pytest.raises(Conflict):
        s.item_publish(item=item, actor=world["clerk"])
    for who in ("reviewer", "clerk", "secrecy"):  # the setting names the 负责人 by default
        with pytest.raises(Forbidden):
            s.item_settle(item=item, actor=people.get(who) or world[who], approve=True, note="可以公开")
    with pytest.raises(Invalid):
        s.item_settle(item=item, actor=people["head"], approve=True, note=" ")
    settled = s.item_settle(item=item, actor=people["head"], approve=True, note="经请示，不属于工作秘密，可以公开")
    item.refresh_from_db()
    hold.refresh_from_db()
    assert (item.state, item.approved_by, settled.result, settled.round) == (ItemState.APPROVED, people["head"],
                                                                           ReviewResult.APPROVED, 2)
    assert (hold.settled_by, hold.outcome) == (people["head"], "approved") and hold.settled_at
    assert s.item_publish(item=item, actor=world["clerk"]).state == ItemState.PUBLISHED
    actions = list(AuditEntry.objects.filter(subject_id=str(item.pk), action__startswith="catalog.")
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["catalog.create", "catalog.submit", "catalog.review", "catalog.hold", "catalog.settle",
                       "catalog.publish"]


def test_the_secrecy_officer_settles_when_the_setting_says_so(world, people, settings):
    settings.GONGKAI_HOLD_SETTLER = "secrecy"
    item = _submitted(world)
    _hold(world, item)
    with pytest.raises(Forbidden):
        s.item_settle(item=item, actor=people["head"], approve=False, note="不予公开")
    s.item_settle(item=item, actor=people["secrecy"], approve=False, note="涉及工作秘密，不予公开")
    item.refresh_from_db()
    assert item.state == ItemState.RETURNED and Hold.objects.get(item=item).outcome == "returned"


def test_a_settler_who_touched_the_item_may_not_approve_it(world, people):
    from gongkai.web.bodies.models import Role
    from gongkai.web.bodies.services import membership_grant

    membership_grant(user=world["clerk"], body=world["street"], role=Role.HEAD)  # the author is also the head
    item = _submitted(world)
    _hold(world, item)
    with pytest.raises(Forbidden, match="不能裁定公开自己经手的信息"):
        s.item_settle(item=item, actor=world["clerk"], approve=True, note="可以公开")
    s.item_settle(item=item, actor=world["clerk"], approve=False, note="退回修改")  # returning publishes nothing


def test_held_items_are_not_overdue_but_the_hold_is_shown(world, people, client):
    from gongkai.web.catalog.selectors import held_items, overdue_items

    item = _submitted(world, written_on=dt.date.today() - dt.timedelta(days=90))
    assert [t.item.pk for t in overdue_items(user=world["clerk"])] == [item.pk]
    _hold(world, item)
    assert overdue_items(user=world["clerk"]) == []
    row = held_items(user=people["head"])[0]
    assert row.may_settle and row.timeliness.held and row.timeliness.late_days > 0 and not row.timeliness.overdue
    assert not held_items(user=world["reviewer"])[0].may_settle
    client.force_login(world["clerk"])
    page = client.get(f"/staff/catalog/{item.pk}/").content.decode()
    assert 'id="held-note"' in page and "不计超期" in page and "已超期" not in page
    overdue_page = client.get("/staff/catalog/overdue/").content.decode()
    assert "没有超期的信息" in overdue_page and item.title in overdue_page and "不计超期" in overdue_page
    s.item_settle(item=item, actor=people["head"], approve=False, note="退回修改")
    assert [t.item.pk for t in overdue_items(user=world["clerk"])] == [item.pk]  # counted again once settled


def test_queue_reminders_and_digest(world, people, client, settings):
    from gongkai.web.applications.digest import digest_send
    from gongkai.web.audit.models import AuditEntry

    item = _submitted(world)
    _hold(world, item)
    Hold.objects.filter(item=item).update(held_at=Hold.objects.get(item=item).held_at - dt.timedelta(days=14))
    client.force_login(people["head"])
    listing = client.get("/staff/catalog/").content.decode()
    assert 'id="to-settle"' in listing and "请尽快裁定" in listing
    queue = client.get("/staff/catalog/held/").content.decode()
    assert item.title in queue and "待您裁定" in queue and "请尽快裁定" in queue
    sent = dict(digest_send(email=True, bodies=[world["street"]]))
    assert "暂缓公开待裁定" in sent[world["street"]] and item.title in sent[world["street"]]
    from django.core import mail

    assert any("head@example.org" in m.to for m in mail.outbox)
    digest_send(bodies=[world["street"]])  # the same day again: one reminder in the audit log
    assert AuditEntry.objects.filter(action="catalog.hold_remind", subject_id=str(item.pk)).count() == 1


def test_pages_and_api(world, people, client):
    item = _submitted(world)
    client.force_login(world["reviewer"])
    page = client.get(f"/staff/catalog/{item.pk}/").content.decode()
    assert "公开与保密界限不清的信息不得公开" in page and 'value="hold"' in page
    r = client.post(f"/staff/catalog/{item.pk}/", {"action": "review", "decision": "approve", "basis": "不涉密"},
                    follow=True)
    assert "逐项回答" in r.content.decode() and Item.objects.get(pk=item.pk).state == ItemState.SUBMITTED
    client.post(f"/staff/catalog/{item.pk}/", {"action": "review", "decision": "hold", "reasons": WHY,
                                               "check_reviewed": "yes", "check_declassified": "yes",
                                               "check_boundary_clear": "no"})
    assert Item.objects.get(pk=item.pk).state == ItemState.HELD
    assert client.post(f"/api/catalog/items/{item.pk}/settle", json.dumps({"approve": True, "note": "x"}),
                       content_type="application/json").status_code == 403
    client.force_login(people["head"])
    assert [h["item_id"] for h in client.get("/api/catalog/held").json()] == [item.pk]
    r = client.post(f"/api/catalog/items/{item.pk}/settle", json.dumps({"approve": True, "note": "可以公开"}),
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "approved"
    other = _submitted(world, title="另一条")
    client.force_login(world["reviewer"])
    r = client.post(f"/api/catalog/items/{other.pk}/review",
                    json.dumps({"approve": False, "hold": True, "reasons": WHY, **UNCLEAR}),
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "held"


def test_the_audit_log_tells_the_hold_in_words(world, people, client):
    from gongkai.web.bodies.services import user_create

    item = _submitted(world)
    _hold(world, item)
    s.item_settle(item=item, actor=people["head"], approve=True, note="可以公开")
    root = user_create(username="root", password="secret-pass-1", full_name="系统管理员", is_superuser=True)
    client.force_login(root)
    page = client.get("/staff/audit/").content.decode()
    assert "主动公开信息：暂缓公开" in page and "主动公开信息：处理暂缓事项" in page
    assert "保密审查三项规则" in page and "公开与保密界限清楚：否" in page
    assert "check_boundary_clear" not in page
