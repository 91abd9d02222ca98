"""Role and body isolation, by enumerating every URL of the office's apps and API routers.

A user of body B must get 403/404 (or 405) for every URL that names one of body A's objects, by GET and by
POST; lists must not show A's data; anonymous users are sent to the login page (pages) or get 401 (API);
a supervisor of the district reads A's cases but cannot act on them."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from gongkai.web.appeals.services import appeal_create
from gongkai.web.applications import services as s
from gongkai.web.applications.models import Application
from gongkai.web.applications.views import ACTIONS
from gongkai.web.letters.services import letter_issue

from .routes import walk

D = dt.date
OURS = ("bodies", "audit", "clock", "applications", "appeals", "letters")
OUR_API = ("api/bodies/", "api/audit/", "api/calendar/", "api/applications/", "api/appeals/", "api/letters/")
PUBLIC = {"api/applications/public/<query_code>", "api/applications/reply-types", "api/openapi.json", "api/docs",
          "healthz", "api/", "ysqgk/letters/<str:code>/<int:pk>.<str:fmt>"}
NOT_BODY_SCOPED = {"api/calendar/<int:year>"}
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")



def our_urls() -> list[tuple[str, str | None]]:
    out = []
    for route, ns in walk():
        if route.startswith("^static") or route in PUBLIC:
            continue
        if ns in OURS or route.startswith(OUR_API) or route in ("staff/",):
            out.append((route, ns))
    return sorted(set(out))


@pytest.fixture
def a_objects(world, make_app):
    u = world["users"]
    app = make_app(received=D(2024, 3, 4), description="七政机密事项甲",
                   id_proof=[("身份证.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)])
    closed = s.decision_record(application=make_app(received=D(2024, 3, 5)), actor=u["reviewer_a"],
                               on=D(2024, 3, 20), reply_type="denied.third_party")
    appeal = appeal_create(application=closed, kind="review", authority="南岗区人民政府", filed_on=D(2024, 4, 1),
                           actor=u["reviewer_a"])
    letter = letter_issue(application=app, actor=u["reviewer_a"], key="receipt")
    return {"app": app, "closed": closed, "appeal": appeal, "file": app.files.get(), "letter": letter}


def fill(route: str, ns: str | None, world: dict, objs: dict) -> list[str]:
    """Every concrete path for a route, with A's objects in its parameters."""
    values = {"app_id": [objs["app"].pk, objs["closed"].pk], "appeal_id": [objs["appeal"].pk],
              "body_id": [world["a"].pk], "year": [2024], "key": ["receipt"], "action": list(ACTIONS),
              "file_id": [objs["file"].pk], "fmt": ["pdf"], "letter_id": [objs["letter"].pk]}
    if ns == "applications":
        values["pk"] = [objs["app"].pk, objs["closed"].pk]
    elif ns == "appeals":
        values["pk"] = [objs["appeal"].pk]
    elif ns == "letters":
        values["pk"] = [objs["letter"].pk]
    elif ns == "bodies":
        values["pk"] = [world["a"].pk]
    paths = [route]
    for _, name in PARAM.findall(route):
        assert name in values, f"isolation test does not know the parameter {name!r} of {route}"
        paths = [re.sub(r"<(?:\w+:)?" + name + ">", str(v), p, count=1) for p in paths for v in values[name]]
    return ["/" + p for p in paths]


def payload_for(path: str) -> dict[str, Any]:
    """A valid body for whichever action the path is, so that only the permission check can refuse it."""
    reason = "third_party" if path.rstrip("/").endswith("pause") else (
        "withdrawn" if path.rstrip("/").endswith("lapse") else "理由")
    return {"on": "2024-03-06", "items": "文号", "reason": reason, "days": 5, "method": "pages", "quantity": 100,
            "receipt_no": "票据1", "reply_type": "granted", "summary": "x", "result": "upheld",
            "decided_on": "2024-05-01", "username": "all_b", "role": "admin", "title": "t", "body": "b",
            "start": "2024-03-06", "end": "2024-03-08", "note": "封控", "approved_by": "某人"}


def test_every_route_of_ours_is_enumerated():
    routes = [r for r, _ in our_urls()]
    assert "staff/cases/<int:pk>/actions/<str:action>/" in routes
    assert "api/applications/<app_id>/decision" in routes
    assert len(routes) >= 35


def test_user_of_other_body_gets_403_or_404_everywhere(world, a_objects, client):
    client.force_login(world["users"]["all_b"])
    checked = 0
    for route, ns in our_urls():
        if not PARAM.search(route) or route in NOT_BODY_SCOPED:
            continue
        for path in fill(route, ns, world, a_objects):
            for method in ("get", "post"):
                kwargs = {}
                if method == "post":
                    kwargs = {"data": payload_for(path)}
                    if path.startswith("/api/"):
                        kwargs["content_type"] = "application/json"
                r = getattr(client, method)(path, **kwargs)
                assert r.status_code in (403, 404, 405), (method, path, r.status_code)
                if path.startswith("/api/") and r.status_code != 405:
                    assert set(r.json()["error"]) == {"code", "message", "details"}
                checked += 1
    assert checked > 60
    r = client.get(f"/staff/cases/ledger/?body={world['a'].pk}&year=2024")
    assert r.status_code == 404


def test_lists_show_nothing_of_the_other_body(world, a_objects, client):
    client.force_login(world["users"]["all_b"])
    secret = [a_objects["app"].number, a_objects["closed"].number, "七政机密事项甲", world["a"].name]
    for route, ns in our_urls():
        if PARAM.search(route):
            continue
        for path in ("/" + route, f"/{route}?body={world['a'].pk}"):
            r = client.get(path)
            if r.status_code == 405:
                continue
            assert r.status_code == 200 or ("?body=" in path and r.status_code == 404), (path, r.status_code)
            text = r.content.decode("unicode_escape") if path.startswith("/api/") else r.content.decode()
            for s_ in secret:
                assert s_ not in text, (path, s_)


def test_creating_on_the_other_body_is_refused(world, a_objects, client):
    client.force_login(world["users"]["all_b"])
    before = Application.objects.count()
    r = client.post("/api/applications/", {"body_id": world["a"].pk, "channel": "in_person", "submitted_on": "2024-03-04",
                                           "applicant_type": "natural", "applicant_name": "x", "description": "y"},
                    content_type="application/json")
    assert r.status_code == 404
    r = client.post("/staff/cases/new/", {"body": world["a"].pk, "channel": "in_person", "submitted_on": "2024-03-04",
                                          "applicant_type": "natural", "applicant_name": "x", "description": "y",
                                          "requested_form": "any", "delivery": "post"})
    assert r.status_code == 200 and "选择一个有效的选项" in r.content.decode()
    r = client.post("/api/appeals/", {"application_id": a_objects["closed"].pk, "kind": "review", "authority": "x",
                                      "filed_on": "2024-04-02"}, content_type="application/json")
    assert r.status_code == 404
    r = client.post("/staff/appeals/", {"application": a_objects["closed"].number, "kind": "review",
                                        "authority": "x", "filed_on": "2024-04-02"})
    assert "未找到该申请" in r.content.decode()
    assert Application.objects.count() == before


def test_anonymous_is_sent_away(world, a_objects, client):
    for route, ns in our_urls():
        for path in fill(route, ns, world, a_objects)[:2]:
            r = client.get(path)
            if path.startswith("/api/"):
                assert r.status_code in (401, 405), path
            else:
                assert r.status_code == 302 and "/accounts/login/" in r["Location"], path


def test_supervisor_reads_but_cannot_act(world, a_objects, client):
    client.force_login(world["users"]["supervisor"])
    app = a_objects["app"]
    assert client.get(f"/staff/cases/{app.pk}/").status_code == 200
    assert client.get(f"/api/applications/{app.pk}").status_code == 200
    assert client.get(f"/api/applications/ledger/{world['a'].pk}/2024").status_code == 200
    for action in ACTIONS:
        r = client.post(f"/staff/cases/{app.pk}/actions/{action}/", {"on": "2024-03-06", "items": "x", "reason": "x",
                                                                      "reply_type": "granted", "days": 5})
        assert r.status_code in (403, 409, 422), (action, r.status_code)
        assert r.status_code != 200
    r = client.post(f"/api/applications/{app.pk}/correction-notice", {"on": "2024-03-06", "items": "x"},
                    content_type="application/json")
    assert r.status_code == 403
    app.refresh_from_db()
    assert app.status == "open"


def test_roles_within_the_body(world, a_objects, client):
    app = a_objects["app"]
    client.force_login(world["users"]["clerk_a"])
    r = client.post(f"/api/applications/{app.pk}/decision", {"on": "2024-03-06", "reply_type": "granted"},
                    content_type="application/json")
    assert r.status_code == 403
    client.force_login(world["users"]["handler_a"])
    r = client.post(f"/api/applications/{app.pk}/extend", {"on": "2024-03-06", "days": 10, "reason": "x"},
                    content_type="application/json")
    assert r.status_code == 403
    client.force_login(world["users"]["head_a"])
    r = client.post(f"/api/applications/{app.pk}/extend", {"on": "2024-03-06", "days": 10, "reason": "x"},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["due_on"] == "2024-04-16"  # 清明 4–6 April off, Sunday 7 April worked


def test_own_users_open_every_page_in_every_status(world, a_objects, make_app, client):
    """The same enumeration from the inside: every GET page of ours renders for A's reviewer, and the case page
    renders in every status (catches template errors that a 404 would hide)."""
    u = world["users"]
    app = make_app(received=D(2024, 3, 6))
    cases = {"open": app}
    cases["correction"] = s.correction_notice(application=make_app(received=D(2024, 3, 6)), actor=u["handler_a"],
                                              on=D(2024, 3, 7), items="文号", reply_by=D(2024, 3, 20))
    cases["consulting"] = s.pause_start(application=make_app(received=D(2024, 3, 6)), actor=u["handler_a"],
                                        on=D(2024, 3, 7), reason="third_party", party="某公司")
    s.fee_notice(application=make_app(received=D(2024, 3, 6)), actor=u["handler_a"], on=D(2024, 3, 7),
                 method="pages", quantity=120)
    cases["review"] = s.decision_record(application=make_app(received=D(2024, 3, 6)), actor=u["handler_a"],
                                        on=D(2024, 3, 8), reply_type="granted")
    cases["closed"] = a_objects["closed"]
    client.force_login(u["reviewer_a"])
    for status, case in cases.items():
        r = client.get(f"/staff/cases/{case.pk}/")
        assert r.status_code == 200, status
        assert "时间线" in r.content.decode()
    pages = 0
    for route, ns in our_urls():
        if route.startswith("api/") or "actions" in route or route.endswith("result/"):
            continue
        for path in fill(route, ns, world, a_objects):
            r = client.get(path)
            other_case_file = "/files/" in path and f"/{a_objects['closed'].pk}/" in path  # the file is app's
            admin_only = "/deadline-settings/" in path  # the body's 管理员 (tested in test_citizen)
            post_only = path.startswith("/staff/bodies/") and path.endswith("/settings/")  # POST-only form
            expected = 404 if other_case_file else 403 if admin_only else 302 if post_only else 200
            assert r.status_code == expected, (path, r.status_code)
            pages += 1
    assert pages >= 12


def test_htmx_list_returns_only_the_table(world, a_objects, client):
    client.force_login(world["users"]["reviewer_a"])
    full = client.get("/staff/cases/?status=closed").content.decode()
    part = client.get("/staff/cases/?status=closed", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in full and "<html" not in part and 'id="case-table"' in part
    assert a_objects["closed"].number in part and a_objects["app"].number not in part


def test_administrators_manage_people_and_bodies(world, client):
    from django.contrib.auth import get_user_model

    from gongkai.web.bodies.models import Body, Membership

    client.force_login(world["users"]["admin_a"])
    r = client.post(f"/staff/bodies/{world['a'].pk}/", {"username": "new_clerk", "full_name": "新登记员",
                                                         "password": "long-enough-1", "role": "clerk"})
    assert r.status_code == 302
    assert Membership.objects.filter(user__username="new_clerk", body=world["a"], role="clerk").exists()
    assert get_user_model().objects.get(username="new_clerk").check_password("long-enough-1")
    client.post(f"/staff/bodies/{world['a'].pk}/", {"username": "x2", "password": "short", "role": "clerk"})
    assert not get_user_model().objects.filter(username="x2").exists()
    r = client.post(f"/staff/bodies/{world['b'].pk}/", {"username": "new_clerk", "role": "admin"})
    assert r.status_code == 404 and not Membership.objects.filter(body=world["b"], user__username="new_clerk").exists()
    client.force_login(world["users"]["handler_a"])
    assert client.post(f"/staff/bodies/{world['a'].pk}/", {"username": "handler_a", "role": "admin"}).status_code == 403
    assert client.post("/staff/bodies/", {"name": "某局", "short_name": "某", "kind": "department",
                                          "level": "county"}).status_code == 403
    client.force_login(world["users"]["root"])
    r = client.post("/staff/bodies/", {"name": "南岗区教育局", "short_name": "南岗教", "kind": "department",
                                       "level": "county", "parent": world["district"].pk})
    body = Body.objects.get(name="南岗区教育局")
    assert r.status_code == 302 and body.path.startswith(world["district"].path)
