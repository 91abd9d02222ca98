"""Role and body isolation of the catalog (主动公开), the annual reports and the portal, by enumerating every URL.

The same approach as ``test_isolation.py``: walk the URL resolver, classify every route of ``catalog``,
``reports`` and ``portal`` and of their API routers (an unclassified route fails the suite), fill the parameters
with body A's objects, and check that

- a user of body B gets 403/404 (or 405) for every URL naming A's objects, by GET and by POST with a valid
  payload (every action the page dispatches on), and that nothing of A changes;
- lists, queues, search, the supervisor's view and the API lists never show A's data to B;
- anonymous users are sent to the login page (pages) or get 401 (API), except on the public site and the
  public API, where nothing unreviewed, withdrawn or internal ever appears;
- the district's 督查 reads A's items and reports but cannot change them;
- roles inside body A are enforced (登记员 neither reviews nor publishes a report, nobody approves their own
  item, a 承办人 cannot withdraw, a 负责人 cannot draft).

Positive controls (A's own administrator opens every page; the same payloads succeed for the right role) make
sure a 404 is not just a badly filled URL.
"""
from __future__ import annotations

import datetime as dt
import inspect
import re
from typing import Any

import pytest

from gongkai.web.audit.models import AuditEntry
from gongkai.web.catalog import services as cs
from gongkai.web.catalog import views as catalog_views
from gongkai.web.catalog.models import Item, YearFigures
from gongkai.web.reports import services as rs
from gongkai.web.reports import views as reports_views
from gongkai.web.reports.models import AnnualReport, ReportEvent

from .routes import walk

YEAR = 2024
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")

# Every route of the three apps and their API routers, classified. A route that is not here fails
# ``test_every_route_is_classified``: add it (and, if it has a new parameter, a value in ``fill``).
#   object — names one of A's objects: B gets 403/404; the supervisor reads; anonymous is refused
#   list   — no object: B gets 200 without A's data (404 when asked for ``?body=<A>``)
#   create — creates on a body given in the form: B naming A gets 403/404, nothing is created on A
#   public — the public site or a public API endpoint: anyone, but nothing unpublished or internal
ROUTES: dict[str, str] = {
    "staff/catalog/": "list",
    "staff/catalog/review/": "list",
    "staff/catalog/overdue/": "list",
    "staff/catalog/held/": "list",  # 暂缓公开 (公开与保密界限不清) awaiting the 负责人 or 保密员
    "staff/catalog/new/": "create",
    "staff/catalog/figures/": "create",
    "staff/catalog/guide/": "create",
    "staff/catalog/<int:pk>/": "object",
    "staff/catalog/<int:pk>/edit/": "object",
    "staff/reports/": "list",
    "staff/reports/supervise/": "list",
    "staff/reports/start/": "create",
    "staff/reports/<int:pk>/": "object",
    "staff/reports/<int:pk>/check/": "object",
    "staff/reports/<int:pk>/download.<str:kind>": "object",
    "api/catalog/items": "list",  # its POST creates: test_creating_on_the_other_body_is_refused
    "api/catalog/items/<item_id>": "object",  # GET and PATCH (修改)
    "api/catalog/items/<item_id>/submit": "object",
    "api/catalog/items/<item_id>/return": "object",
    "api/catalog/items/<item_id>/review": "object",
    "api/catalog/items/<item_id>/publish": "object",
    "api/catalog/items/<item_id>/settle": "object",
    "api/catalog/held": "list",
    "api/catalog/public/search": "public",
    "api/catalog/public/item": "public",
    "api/reports/": "list",
    "api/reports/<report_id>": "object",
    "api/reports/public/<body_id>": "public",
    "api/portal/status": "public",
    "staff/portal/<int:body_id>/no-function/": "object",  # the body's 无此项职能 declarations (管理员)
    "ysqgk/query/correct/": "public",  # online 补正 by query code
    "": "public",
    "a11y/": "public",
    "search/": "public",
    "ysqgk/query/": "public",
    "xxgk/item/<indexno:index_no>/": "public",
    "xxgk/item/<indexno:index_no>/file/<int:att>/": "public",
    "xxgk/<int:body_id>/": "public",
    "xxgk/<int:body_id>/zhinan/": "public",
    "xxgk/<int:body_id>/zhidu/": "public",
    "xxgk/<int:body_id>/fdzdgknr/": "public",
    "xxgk/<int:body_id>/nb/": "public",
    "xxgk/<int:body_id>/nb/<int:year>/": "public",
    "xxgk/<int:body_id>/nb/<int:year>.<str:kind>": "public",
    "xxgk/<int:body_id>/ysqgk/": "public",
    "xxgk/<int:body_id>/ysqgk/apply/": "public",
    "xxgk/<int:body_id>/ysqgk/form.docx": "public",
    "xxgk/<int:body_id>/jcgk/": "public",
    "xxgk/<int:body_id>/rss.xml": "public",
}
# Pages whose POST only computes (the live check, a download): the supervisor may use them, nothing is saved.
READ_ONLY_POST = {"staff/reports/<int:pk>/check/", "staff/reports/<int:pk>/download.<str:kind>"}
APPS = ("catalog", "reports", "portal")
API = ("api/catalog/", "api/reports/", "api/portal/")

# Texts only A's staff may ever see (the published item's title is public, so it is checked on staff pages only).
SECRET = {"draft": "七政草稿机密甲", "submitted": "七政待审机密乙", "approved": "七政已审未发丙", "note": "内部备注七政丁",
          "report": "七政年报草稿戊", "figures": "98765"}



def routes() -> list[tuple[str, str | None]]:
    """Every route of the catalog, reports and portal apps and of their API routers."""
    out = {(r, ns) for r, ns in walk()
           if (ns in APPS or r.startswith(API)) and not r.startswith("^static")}
    return sorted(out)


def _dispatched_actions(func: Any) -> list[str]:
    """The ``action`` values a view's ``_act`` dispatches on, read from its source, so a new action is covered."""
    src = inspect.getsource(func)
    return sorted({a for group in re.findall(r"action (?:==|in) (\([^)]*\)|\"\w+\")", src)
                   for a in re.findall(r"\"(\w+)\"", group)})


ITEM_ACTIONS = _dispatched_actions(catalog_views._act)
REPORT_ACTIONS = _dispatched_actions(reports_views._act)


@pytest.fixture
def a_objects(world, settings, tmp_path):
    """Body A's catalog items in every state (with attachments), figures and an annual report draft."""
    settings.MEDIA_ROOT = tmp_path / "media"
    u, a = world["users"], world["a"]

    def item(title: str, **kw: Any) -> Item:
        return cs.item_create(body=a, author=u["clerk_a"], title=title, text=f"{title}的正文。",
                              internal_note=SECRET["note"], **kw)

    draft = item(SECRET["draft"])
    draft_att = cs.attachment_add(item=draft, actor=u["clerk_a"], name="草稿附件.pdf", data=b"%PDF-1.4 draft")
    submitted = cs.item_submit(item=item(SECRET["submitted"]), actor=u["clerk_a"])
    approved = cs.item_submit(item=item(SECRET["approved"]), actor=u["clerk_a"])
    cs.item_review(item=approved, reviewer=u["reviewer_a"], approve=True, basis="不涉密")
    published = item("七政街道网格化管理规定", doc_kind="normative", validity="valid", written_on=dt.date(YEAR, 3, 1))
    pub_att = cs.attachment_add(item=published, actor=u["clerk_a"], name="规定.pdf", data=b"%PDF-1.4 public")
    cs.item_submit(item=published, actor=u["clerk_a"])
    cs.item_review(item=published, reviewer=u["reviewer_a"], approve=True, basis="不涉密")
    published = cs.item_publish(item=published, actor=u["clerk_a"])
    withdrawn = cs.item_submit(item=item("七政已撤回的信息"), actor=u["clerk_a"])
    cs.item_review(item=withdrawn, reviewer=u["reviewer_a"], approve=True, basis="不涉密")
    withdrawn = cs.item_publish(item=withdrawn, actor=u["clerk_a"])
    cs.item_withdraw(item=withdrawn, actor=u["reviewer_a"], reason="内容有误")
    cs.figures_set(body=a, year=YEAR, actor=u["clerk_a"], licensing=int(SECRET["figures"]), penalty=4, coercion=1,
                   fees_wan_yuan=0)
    report = rs.report_start(body=a, year=YEAR, actor=u["clerk_a"])
    report = rs.report_save_texts(report=report, actor=u["clerk_a"], texts={1: SECRET["report"]})
    items = {"draft": draft, "submitted": submitted, "approved": Item.objects.get(pk=approved.pk),
             "published": published, "withdrawn": Item.objects.get(pk=withdrawn.pk)}
    return {"items": items, "atts": [pub_att, draft_att], "report": report}


def fill(route: str, world: dict, objs: dict) -> list[str]:
    """Every concrete path for a route, with A's objects in its parameters."""
    items = list(objs["items"].values())
    values: dict[str, list[Any]] = {
        "pk": [i.pk for i in items] if route.startswith("staff/catalog/") else [objs["report"].pk],
        "item_id": [i.pk for i in items], "report_id": [objs["report"].pk], "body_id": [world["a"].pk],
        "kind": ["html", "docx", "pdf"], "year": [YEAR],
        "index_no": [objs["items"]["published"].index_no, objs["items"]["withdrawn"].index_no],
        "att": [a.pk for a in objs["atts"]]}
    paths = [route]
    for _, name in PARAM.findall(route):
        assert name in values, f"isolation test does not know the parameter {name!r} of {route}"
        paths = [re.sub(r"<(?:\w+:)?" + name + ">", str(v), p, count=1) for p in paths for v in values[name]]
    return ["/" + p for p in paths]


def posts_for(path: str) -> list[dict[str, Any]]:
    """Valid payloads for whatever the path does, one per action a page dispatches on."""
    if path.startswith("/api/"):
        return [{"approve": True, "basis": "不涉密", "reasons": "", "reason": "理由"}]
    if path.startswith("/staff/catalog/"):
        if path.endswith("/edit/"):
            return [{"title": "B改过的标题", "category": "other", "disclosure": "proactive", "text": "x"}]
        return [{"action": a, "decision": "approve", "basis": "不涉密", "reason": "理由", "validity": "valid",
                 "on": "2024-05-01"} for a in ITEM_ACTIONS]
    if path.startswith("/staff/portal/"):
        return [{"category": "duties", "basis_duties": "本机关不承担该职能"}]
    if path.startswith("/staff/reports/"):
        return [{"action": a, "s1": "B写的", "s5": "B", "s6": "B", "note": "x", "reason": "理由",
                 "deadline": "2025-01-31"} for a in REPORT_ACTIONS]
    raise AssertionError(f"no payload for {path}")


def _post(client: Any, path: str, data: dict) -> Any:
    if path.startswith("/api/"):
        return client.post(path, data, content_type="application/json")
    return client.post(path, data)


def _state(world: dict) -> tuple:
    """Everything of A a write could change."""
    a = world["a"]
    return (sorted(Item.objects.filter(body=a).values_list("pk", "state", "title", "validity", "approved_by_id")),
            sorted(AnnualReport.objects.filter(body=a).values_list("pk", "state", "data", "deadline")),
            sorted(YearFigures.objects.filter(body=a).values_list("year", "licensing")),
            ReportEvent.objects.filter(report__body=a).count(), AuditEntry.objects.count())


def _text(r: Any) -> str:
    raw = r.content.decode(errors="replace")
    return raw.encode().decode("unicode_escape", errors="replace") if "json" in r.get("Content-Type", "") else raw


def test_every_route_is_classified():
    found = {r for r, _ in routes()}
    unknown = found - set(ROUTES)
    assert not unknown, f"new routes the isolation test does not cover — classify them in ROUTES: {sorted(unknown)}"
    gone = set(ROUTES) - found
    assert not gone, f"routes in ROUTES that no longer exist: {sorted(gone)}"
    assert {"submit", "review", "publish", "withdraw", "validity", "attach"} <= set(ITEM_ACTIONS)
    assert {"save", "submit", "approve", "return", "publish", "deadline", "refresh"} <= set(REPORT_ACTIONS)


def test_own_administrator_opens_every_object_page(world, a_objects, client):
    """Positive control: every filled staff URL works for A's own administrator (so a 404 for B means isolation,
    not a badly filled URL)."""
    client.force_login(world["users"]["admin_a"])
    opened = 0
    for route, _ in routes():
        if ROUTES[route] != "object":
            continue
        for path in fill(route, world, a_objects):
            r = client.get(path)
            if route.startswith("api/catalog/items/") and route != "api/catalog/items/<item_id>":
                assert r.status_code == 405, path  # POST-only
                continue
            if path.endswith("/edit/") and not any(f"/{i.pk}/" in path for k, i in a_objects["items"].items()
                                                   if k == "draft"):
                assert r.status_code == 403, path  # only drafts and returned items are editable
                continue
            assert r.status_code == 200, (path, r.status_code)
            opened += 1
    assert opened >= 10


def test_user_of_other_body_gets_403_or_404_everywhere(world, a_objects, client):
    client.force_login(world["users"]["all_b"])
    before = _state(world)
    checked = 0
    for route, _ in routes():
        if ROUTES[route] != "object":
            continue
        for path in fill(route, world, a_objects):
            r = client.get(path)
            assert r.status_code in (403, 404, 405), ("get", path, r.status_code)
            for data in posts_for(path):
                r = _post(client, path, data)
                assert r.status_code in (403, 404, 405), ("post", path, data.get("action"), r.status_code)
                if path.startswith("/api/") and r.status_code != 405:
                    assert set(r.json()["error"]) == {"code", "message", "details"}
                checked += 1
    assert checked >= 60
    assert _state(world) == before


def test_lists_and_search_show_nothing_of_the_other_body(world, a_objects, client):
    client.force_login(world["users"]["all_b"])
    a = world["a"]
    staff_secrets = [*SECRET.values(), a.name, a_objects["items"]["published"].title]
    queries = ("", f"?body={a.pk}", f"?body={a.pk}&year={YEAR}", "?q=机密", "?q=七政", "?state=draft",
               "?state=submitted", f"?year={YEAR}")
    seen = 0
    for route, _ in routes():
        if ROUTES[route] not in ("list", "create") or PARAM.search(route):
            continue
        for q in queries:
            r = client.get(f"/{route}{q}")
            if r.status_code == 302:  # a POST-only form sends GET back to its list
                continue
            assert r.status_code == 200 or ("body=" in q and r.status_code == 404), (route, q, r.status_code)
            text = _text(r)
            for s_ in staff_secrets:
                assert s_ not in text, (route, q, s_)
            if route.startswith("api/") and r.status_code == 200:
                assert all(row["body_id"] != a.pk for row in r.json()), (route, q)
            seen += 1
    assert seen >= 40
    # the catalog's and the composer's writes are audited with snapshots: B's audit log has none of A's
    for path in ("/staff/audit/", "/api/audit/"):
        r = client.get(path)
        assert r.status_code == 200
        for s_ in staff_secrets:
            assert s_ not in _text(r), (path, s_)
    client.force_login(world["users"]["admin_a"])
    assert SECRET["draft"] in _text(client.get("/api/audit/"))  # positive control: A's administrator sees them


def test_creating_on_the_other_body_is_refused(world, a_objects, client):
    client.force_login(world["users"]["all_b"])
    a = world["a"]
    before = _state(world)
    r = client.post("/api/catalog/items", {"body_id": a.pk, "title": "B起草", "text": "x"},
                    content_type="application/json")
    assert r.status_code == 404
    r = client.post("/staff/catalog/new/", {"body": a.pk, "title": "B起草", "category": "other",
                                            "disclosure": "proactive", "text": "x"})
    assert r.status_code == 404
    r = client.post("/staff/catalog/figures/", {"body": a.pk, "year": YEAR, "licensing": 1, "penalty": 1,
                                                "coercion": 1, "fees_wan_yuan": 0})
    assert r.status_code == 404
    assert client.post("/staff/catalog/guide/", {"body": a.pk}).status_code == 404
    assert client.post("/staff/reports/start/", {"body": a.pk, "year": YEAR - 1}).status_code == 404
    assert _state(world) == before
    assert not Item.objects.filter(title="B起草").exists()
    assert not YearFigures.objects.filter(body=world["b"]).exists()  # no silent fallback to B's own body either
    # positive control: the same form works for B on B
    r = client.post("/staff/catalog/figures/", {"body": world["b"].pk, "year": YEAR, "licensing": 1, "penalty": 1,
                                                "coercion": 1, "fees_wan_yuan": 0})
    assert r.status_code == 302 and YearFigures.objects.filter(body=world["b"], year=YEAR).exists()


def test_anonymous_is_sent_away_and_the_public_sees_nothing_unpublished(world, a_objects, client):
    secrets = list(SECRET.values()) + [a_objects["items"]["withdrawn"].title, "草稿附件"]
    for route, _ in routes():
        for path in fill(route, world, a_objects):
            r = client.get(path)
            if ROUTES[route] == "public":
                # 302: a11y switch; 405: a POST-only public form (the online 补正); 422: no query
                assert r.status_code in (200, 302, 404, 405, 422), (path, r.status_code)
                if r.status_code == 200 and not path.endswith((".docx", ".pdf")):
                    text = _text(r)
                    for s_ in secrets:
                        assert s_ not in text, (path, s_)
            elif path.startswith("/api/"):
                assert r.status_code in (401, 405), (path, r.status_code)
                r = client.post(path, posts_for(path)[0], content_type="application/json")
                assert r.status_code in (401, 405), ("post", path, r.status_code)
            else:
                assert r.status_code == 302 and "/accounts/login/" in r["Location"], (path, r.status_code)
            if ROUTES[route] != "public" and not path.startswith("/api/"):
                assert client.post(path, {"action": "publish"}).status_code in (302, 403), path
    items, atts = a_objects["items"], a_objects["atts"]
    assert client.get(f"/xxgk/item/{items['published'].index_no}/").status_code == 200
    assert client.get(f"/xxgk/item/{items['withdrawn'].index_no}/").status_code == 404
    assert client.get(f"/xxgk/item/{items['published'].index_no}/file/{atts[0].pk}/").status_code == 200
    # the draft's attachment is not reachable through a published item's URL
    assert client.get(f"/xxgk/item/{items['published'].index_no}/file/{atts[1].pk}/").status_code == 404
    assert client.get(f"/xxgk/{world['a'].pk}/nb/{YEAR}/").status_code == 404  # the report is a draft
    assert client.get(f"/xxgk/{world['a'].pk}/nb/{YEAR}.pdf").status_code == 404
    assert client.get(f"/api/reports/public/{world['a'].pk}").json() == []
    for title in (SECRET["draft"], SECRET["submitted"], SECRET["approved"], "已撤回"):
        r = client.get("/api/catalog/public/search", {"q": title})
        assert r.status_code == 200 and r.json()["total"] == 0, title
    assert _state(world)[0] == sorted(Item.objects.filter(body=world["a"]).values_list(
        "pk", "state", "title", "validity", "approved_by_id"))


def test_supervisor_reads_but_cannot_act(world, a_objects, client):
    client.force_login(world["users"]["supervisor"])
    items, rep = a_objects["items"], a_objects["report"]
    for item in items.values():
        r = client.get(f"/staff/catalog/{item.pk}/")
        assert r.status_code == 200 and item.title in r.content.decode()
    assert client.get(f"/staff/reports/{rep.pk}/").status_code == 200
    assert client.get(f"/api/reports/{rep.pk}").status_code == 200
    assert {row["id"] for row in client.get("/api/catalog/items").json()} >= {i.pk for i in items.values()}
    supervise = client.get(f"/staff/reports/supervise/?year={YEAR}").content.decode()
    assert world["a"].name in supervise and world["b"].name in supervise
    before = _state(world)
    for route, _ in routes():
        if ROUTES[route] != "object":
            continue
        for path in fill(route, world, a_objects):
            for data in posts_for(path):
                r = _post(client, path, data)
                if path.startswith("/api/"):
                    assert r.status_code in (403, 405), (path, r.status_code)  # 405: a read-only endpoint
                elif route in READ_ONLY_POST:  # computes and shows, saves nothing: reading is allowed
                    assert r.status_code == 200, (path, r.status_code)
                else:  # pages turn the refusal into a message on the page they redirect to
                    assert r.status_code in (302, 403), (path, data.get("action"), r.status_code)
    assert _state(world) == before
    r = client.post(f"/staff/catalog/{items['submitted'].pk}/", {"action": "review", "decision": "approve"},
                    follow=True)
    assert "没有“审核”权限" in r.content.decode()
    assert client.get(f"/staff/catalog/{items['draft'].pk}/edit/").status_code == 403
    assert client.post("/staff/catalog/new/", {"body": world["a"].pk, "title": "督查起草"}).status_code == 403
    assert client.post("/staff/catalog/figures/", {"body": world["a"].pk, "year": YEAR}).status_code == 403
    assert client.post("/api/catalog/items", {"body_id": world["a"].pk, "title": "督查起草"},
                       content_type="application/json").status_code == 404
    assert client.post("/staff/reports/start/", {"body": world["a"].pk, "year": YEAR - 1}).status_code == 404
    assert _state(world) == before


def _message(client: Any, path: str, data: dict) -> str:
    return client.post(path, data, follow=True).content.decode()


def test_roles_within_the_body(world, a_objects, client):
    u, items, rep = world["users"], a_objects["items"], a_objects["report"]
    review = {"approve": True, "basis": "不涉密"}
    # 登记员: no confidentiality review, no report approval, publication or local deadline
    client.force_login(u["clerk_a"])
    r = client.post(f"/api/catalog/items/{items['submitted'].pk}/review", review, content_type="application/json")
    assert r.status_code == 403
    assert "没有“审核”权限" in _message(client, f"/staff/catalog/{items['submitted'].pk}/",
                                      {"action": "review", "decision": "approve"})
    assert "没有“审核”权限" in _message(client, f"/staff/catalog/{items['published'].pk}/",
                                      {"action": "withdraw", "reason": "x"})
    for action in ("approve", "return", "publish"):
        assert "没有“审核”权限" in _message(client, f"/staff/reports/{rep.pk}/", {"action": action, "reason": "x"})
    assert "没有“管理”权限" in _message(client, f"/staff/reports/{rep.pk}/",
                                      {"action": "deadline", "deadline": "2025-01-31"})
    # 承办人 cannot withdraw a published item; 负责人 cannot draft
    client.force_login(u["handler_a"])
    assert "没有“审核”权限" in _message(client, f"/staff/catalog/{items['published'].pk}/",
                                      {"action": "withdraw", "reason": "x"})
    client.force_login(u["head_a"])
    assert client.get("/staff/catalog/new/").status_code == 403
    assert client.post("/api/catalog/items", {"body_id": world["a"].pk, "title": "负责人起草"},
                       content_type="application/json").status_code == 404
    assert client.post(f"/api/catalog/items/{items['draft'].pk}/submit").status_code == 403
    assert Item.objects.get(pk=items["submitted"].pk).state == "submitted"
    assert Item.objects.get(pk=items["published"].pk).state == "published"
    assert AnnualReport.objects.get(pk=rep.pk).state == "draft" and AnnualReport.objects.get(pk=rep.pk).deadline is None
    # a reviewer cannot approve their own item, neither on the page nor through the API, and is not offered it
    client.force_login(u["reviewer_a"])
    own = client.post("/api/catalog/items", {"body_id": world["a"].pk, "title": "审核人自己起草", "text": "x"},
                      content_type="application/json").json()
    assert client.post(f"/api/catalog/items/{own['id']}/submit").status_code == 200
    r = client.post(f"/api/catalog/items/{own['id']}/review", review, content_type="application/json")
    assert r.status_code == 403 and "起草" in r.json()["error"]["message"]
    assert "不能审查自己经手的信息" in _message(client, f"/staff/catalog/{own['id']}/", {"action": "review", "decision": "approve"})
    assert client.post(f"/api/catalog/items/{own['id']}/publish").status_code in (403, 409)
    assert Item.objects.get(pk=own["id"]).state == "submitted"
    assert not [i for i in client.get("/staff/catalog/review/").context["items"] if i.pk == own["id"]]
    # positive controls: the same payloads succeed for the right person
    r = client.post(f"/api/catalog/items/{items['submitted'].pk}/review", review, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "approved"
    client.force_login(u["clerk_a"])
    r = client.post(f"/api/catalog/items/{items['submitted'].pk}/publish")
    assert r.status_code == 200 and r.json()["state"] == "published" and r.json()["index_no"]
    client.force_login(u["admin_a"])
    _message(client, f"/staff/reports/{rep.pk}/", {"action": "deadline", "deadline": "2025-01-31"})
    assert AnnualReport.objects.get(pk=rep.pk).deadline == dt.date(2025, 1, 31)


def test_api_tokens_are_isolated_like_sessions(world, a_objects, client):
    """The API with a Bearer token (no session, no CSRF): B's token is refused on every A object, A's works."""
    from gongkai.web.bodies.services import token_create

    keys = {who: token_create(user=world["users"][who], name="隔离测试") for who in ("all_b", "admin_a")}
    before = _state(world)
    api_routes = [r for r, _ in routes() if r.startswith("api/") and ROUTES[r] in ("object", "list")]
    assert len(api_routes) >= 6
    for route in api_routes:
        for path in fill(route, world, a_objects):
            auth = {"HTTP_AUTHORIZATION": f"Bearer {keys['all_b']}"}
            r = client.get(path, **auth)
            if ROUTES[route] == "list":
                assert r.status_code == 200 and all(row["body_id"] != world["a"].pk for row in r.json()), path
                continue
            assert r.status_code in (404, 405), ("get", path, r.status_code)
            r = client.post(path, posts_for(path)[0], content_type="application/json", **auth)
            assert r.status_code in (404, 405), ("post", path, r.status_code)
            if r.status_code == 404:
                assert r.json()["error"]["code"]
            r = client.get(path, HTTP_AUTHORIZATION=f"Bearer {keys['admin_a']}")
            assert r.status_code in (200, 405), ("own", path, r.status_code)
    assert _state(world)[:4] == before[:4]
    r = client.get("/api/catalog/items", HTTP_AUTHORIZATION=f"Bearer {keys['admin_a']}")
    assert {row["id"] for row in r.json()} == {i.pk for i in a_objects["items"].values()}
