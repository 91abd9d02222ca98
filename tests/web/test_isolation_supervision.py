"""Isolation of the supervision app, by enumerating its routes (an unclassified route fails): a batch belongs to
the office that uploaded it — no body below sees it, not even its own report in it; a 督办 is seen by the office
and the body it is sent to, never by a sibling body; anonymous users are sent to the login page; nothing of A's
changes whatever B posts. Positive controls: the office opens every page, A's administrator opens A's 督办."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone

from gongkai.web.audit.models import AuditEntry
from gongkai.web.supervision import queue
from gongkai.web.supervision import services as sv
from gongkai.web.supervision.models import Batch, Duban, Finding, Submission

from .routes import walk

PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
DEV = Path("/work/shared/corpus/dev")
# object — names one of the batch's objects; list — no object; create — a form naming an office
ROUTES = {
    "staff/supervision/": "list",
    "staff/supervision/upload/": "create",
    "staff/supervision/<int:pk>/": "object",
    "staff/supervision/<int:pk>/progress/": "object",
    "staff/supervision/report/<int:pk>/": "object",
    "staff/supervision/report/<int:pk>/compare.html": "object",
    "staff/supervision/finding/<int:pk>/": "object",
    "staff/supervision/duban/": "list",
    "staff/supervision/duban/<int:pk>/": "object",
    "staff/supervision/review/<int:office_id>/<int:year>.<str:fmt>": "object",
}
SECRET = "七政机密督办要求"



def routes() -> list[str]:
    return sorted({r for r, ns in walk() if ns == "supervision"})


@pytest.fixture
def objs(world):
    sup = world["users"]["supervisor"]
    text = (DEV / "pingtan-2023.txt").read_bytes()  # a real report under A's and B's names
    batch = sv.batch_create(office=world["district"], year=2023, actor=sup,
                            files=[(f"{n}.txt", text.replace("平潭综合实验区".encode(), f"南岗区{n}街道办事处".encode()))
                                   for n in ("七政", "革新")])
    queue.drain()
    subs = {s.body_id: s for s in batch.submissions.all()}
    assert set(subs) == {world["a"].pk, world["b"].pk}, [(s.source, s.state, s.printed_name) for s in subs.values()]
    dubans = {}
    for key in ("a", "b"):
        finding = subs[world[key].pk].findings.first()
        assert finding is not None, "the report has findings"
        sv.finding_decide(finding=finding, actor=sup, decision="confirm")
        dubans[key] = sv.duban_send(finding=finding, actor=sup, due=timezone.localdate() + dt.timedelta(days=9),
                                    request=SECRET if key == "a" else "革新督办要求")
    return {"batch": batch, "sub_a": subs[world["a"].pk], "sub_b": subs[world["b"].pk],
            "finding_a": dubans["a"].finding, "duban_a": dubans["a"], "duban_b": dubans["b"]}


def fill(route: str, world: dict, o: dict, *, duban: str = "duban_a") -> list[str]:
    if "/report/" in route:
        pks = [o["sub_a"].pk, o["sub_b"].pk]
    elif "/finding/" in route:
        pks = [o["finding_a"].pk]
    elif "/duban/" in route:
        pks = [o[duban].pk]
    else:
        pks = [o["batch"].pk]
    values = {"pk": pks, "office_id": [world["district"].pk], "year": [2023], "fmt": ["xlsx", "docx"]}
    paths = [route]
    for _, name in PARAM.findall(route):
        paths = [re.sub(r"<(?:\w+:)?" + name + ">", str(v), p, count=1) for p in paths for v in values[name]]
    return ["/" + p for p in paths]


POSTS = [{"action": a, "reason": "理由", "due": "2099-01-01", "request": "B的要求", "answer": "B答复", "note": "B",
          "body": 0} for a in ("confirm", "dismiss", "send", "answer", "close", "reopen")]


def _state() -> tuple:
    return (sorted(Finding.objects.values_list("pk", "state", "reason")),
            sorted(Duban.objects.values_list("pk", "state", "answer", "closing_note")),
            sorted(Submission.objects.values_list("pk", "body_id", "state")), Batch.objects.count(),
            AuditEntry.objects.count())


def test_every_route_is_classified():
    assert set(routes()) == set(ROUTES), sorted(set(routes()) ^ set(ROUTES))


def test_office_opens_every_page(world, objs, client):
    client.force_login(world["users"]["supervisor"])
    for route in routes():
        paths = fill(route, world, objs) if ROUTES[route] == "object" else ["/" + route]
        for path in paths:
            r = client.get(path)
            if route.endswith("compare.html"):
                assert r.status_code == 404  # no previous year in the system: nothing to compare
                continue
            assert r.status_code in (200, 302), (path, r.status_code)


def test_other_body_sees_nothing_of_the_batch_nor_of_a_sibling(world, objs, client):
    for who in ("all_b", "admin_a"):
        client.force_login(world["users"][who])
        before = _state()
        own = "duban_a" if who == "admin_a" else "duban_b"
        other = "duban_b" if who == "admin_a" else "duban_a"
        for route in routes():
            if ROUTES[route] != "object":
                continue
            for path in fill(route, world, objs, duban=other):
                assert client.get(path).status_code in (403, 404), (who, path)
                for data in POSTS:
                    r = client.post(path, data)
                    assert r.status_code in (403, 404), (who, path, data["action"], r.status_code)
        assert _state() == before
        # the batch list and upload are the office's: refused; the 督办 list shows only the user's own body
        assert client.get("/staff/supervision/").status_code == 403
        assert client.post("/staff/supervision/upload/", {"office": world["district"].pk, "year": 2023}
                           ).status_code == 404
        page = client.get("/staff/supervision/duban/").content.decode()
        mine, theirs = (world["a"], world["b"]) if who == "admin_a" else (world["b"], world["a"])
        assert f"/staff/supervision/duban/{objs[own].pk}/" in page and mine.name in page
        assert f"/staff/supervision/duban/{objs[other].pk}/" not in page and theirs.name not in page
        detail = client.get(f"/staff/supervision/duban/{objs[own].pk}/")
        assert detail.status_code == 200
        assert (SECRET in detail.content.decode()) == (who == "admin_a")
        assert "/staff/supervision/report/" not in detail.content.decode()  # the batch stays the office's


def test_body_answers_its_own_duban_only(world, objs, client):
    client.force_login(world["users"]["admin_a"])
    path = f"/staff/supervision/duban/{objs['duban_a'].pk}/"
    client.post(path, {"action": "answer", "answer": "已整改"})
    assert Duban.objects.get(pk=objs["duban_a"].pk).answer == "已整改"
    client.post(path, {"action": "close"})  # the body cannot close its own 督办
    assert Duban.objects.get(pk=objs["duban_a"].pk).state == "answered"
    client.force_login(world["users"]["supervisor"])
    client.post(path, {"action": "close", "note": "到位"})
    assert Duban.objects.get(pk=objs["duban_a"].pk).state == "closed"


def test_anonymous_is_sent_to_login(world, objs, client):
    for route in routes():
        for path in (fill(route, world, objs) if ROUTES[route] == "object" else ["/" + route]):
            r = client.get(path)
            assert r.status_code == 302 and "/accounts/login/" in r["Location"], (path, r.status_code)
