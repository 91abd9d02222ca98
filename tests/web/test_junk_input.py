"""No 500 on junk (issue 13, point 5): every route of the site and of the API, anonymous and as each role, GET and
POST, with real ids and with hostile values for every parameter, answers without a 500 and without a stack trace.

The routes are enumerated, never listed: the pages by walking Django's URL resolver, the API operations from the
ninja OpenAPI schema (path, query and body parameters with their types). The parameters of a page are found by
recording which keys the view reads from ``request.GET`` / ``request.POST`` on a first, clean request; each is
then sent hostile values. A route another app adds later is covered without an edit here.

To stay fast the hostile values are sampled: each identity gets a different rotation of the values per parameter,
so that across the identities every value meets every parameter position, and each request sets all of a route's
parameters at once.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import time
from contextlib import contextmanager
from typing import Any

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.datastructures import MultiValueDict

pytestmark = pytest.mark.django_db

HUGE = "9" * 25
LONG = "长" * 100_000
HOSTILE_TEXT = ["a\x00b", HUGE, "-1", LONG, "x" * 3000, "2024-13-45", "99999-01-01", "<script>x</script>'\"", "", "0",
                "１２３", "NaN", "1e309", "../../etc/passwd"]
HOSTILE_JSON: list[Any] = ["a\x00b", 10**25, -1, LONG, "2024-13-45", "99999-01-01", None, ["x"], {"x": 1}, "",
                           True, 1.5, "abc"]
HOSTILE_PATH_INT = [HUGE, "0", "2147483648"]
HOSTILE_PATH_STR = ["a%00b", "x" * 300, "%E2%80%AE", "..%2F..", "99999"]
STR_SAMPLES = ["html", "pdf", "docx", "xlsx", "default", "register"]
STACK_MARKERS = ("Traceback", 'File "/', "django.db.utils", "OperationalError", "IntegrityError", "site-packages")
BIG_BODY = b"x" * (3 * 1024 * 1024)
LAST_TURN = 8  # the superuser, last of the identities (anonymous, then the conftest world's eight users)


@pytest.fixture
def junk_world(world: dict[str, Any], make_app: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    """The conftest world plus one object of each kind a route can show (application, appeal, catalog item with an
    attachment, annual report), so that real ids reach the views' deeper code."""
    from gongkai.web.appeals.services import appeal_create
    from gongkai.web.catalog import services as catalog
    from gongkai.web.reports.services import report_start

    settings.MEDIA_ROOT = tmp_path / "media"
    u = world["users"]
    app = make_app()
    appeal = appeal_create(application=app, kind="review", authority="南岗区人民政府", filed_on=dt.date(2024, 5, 6),
                           actor=u["root"])
    item = catalog.item_create(body=world["a"], author=u["clerk_a"], title="七政街道老旧小区改造实施方案", text="正文。")
    att = catalog.attachment_add(item=item, actor=u["clerk_a"], name="方案.png", data=b"\x89PNG\r\n\x1a\n")
    catalog.item_submit(item=item, actor=u["clerk_a"])
    catalog.item_review(item=item, reviewer=u["reviewer_a"], approve=True, basis="不涉密")
    item = catalog.item_publish(item=item, actor=u["clerk_a"])
    report = report_start(body=world["a"], year=2024, actor=u["clerk_a"])
    ids = sorted({world["a"].pk, app.pk, appeal.pk, item.pk, att.pk, report.pk})
    return {**world, "ids": [str(i) for i in ids], "index_no": item.index_no, "query_code": app.query_code}


# ---------------------------------------------------------------------------------------------------------------
# enumeration

def _page_routes() -> list[tuple[str, dict[str, str]]]:
    """(route with ``<name>`` placeholders, {name: converter kind}) of every non-API URL pattern."""
    out: list[tuple[str, dict[str, str]]] = []

    def walk(patterns: list[Any], prefix: str, kinds: dict[str, str]) -> None:
        for p in patterns:
            pat = p.pattern
            if isinstance(pat, RoutePattern):
                route = str(pat)
                found = {m.group(2): (m.group(1) or "str") for m in re.finditer(r"<(?:(\w+):)?(\w+)>", route)}
                route = re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", route)
            elif isinstance(pat, RegexPattern):
                route = str(pat).lstrip("^").rstrip("$")
                found = {m.group(1): "any" for m in re.finditer(r"\(\?P<(\w+)>[^)]*\)", route)}
                route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route)
            else:  # pragma: no cover - a pattern class Django may add
                raise AssertionError(f"unknown pattern {pat!r}")
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route, kinds | found)
            elif isinstance(p, URLPattern):
                full = prefix + route
                if not full.startswith("api/") or full in ("api/openapi.json", "api/docs"):
                    out.append(("/" + full, kinds | found))

    walk(get_resolver().url_patterns, "", {})
    return out


def _api_operations() -> list[tuple[str, str, list[dict], dict | None]]:
    """(method, path, parameters, body schema) of every operation in the OpenAPI schema."""
    from gongkai.web.core.api import api

    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    ops = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            body = None
            content = (op.get("requestBody") or {}).get("content", {})
            if "application/json" in content:
                body = _resolve(content["application/json"]["schema"], components)
            elif content:
                body = {"multipart": True}
            ops.append((method.upper(), path, op.get("parameters", []), body))
    return ops


def _resolve(schema: dict, components: dict) -> dict:
    if "$ref" in schema:
        return _resolve(components[schema["$ref"].rsplit("/", 1)[1]], components)
    return schema


# ---------------------------------------------------------------------------------------------------------------
# requests

class Recorder:
    """Which keys views read from ``request.GET`` / ``request.POST`` (by patching MultiValueDict's readers)."""

    def __init__(self) -> None:
        self.keys: set[str] = set()

    @contextmanager
    def recording(self) -> Any:
        originals = {name: getattr(MultiValueDict, name) for name in ("get", "__getitem__", "getlist", "__contains__")}
        keys = self.keys

        def wrap(name: str) -> Any:
            orig = originals[name]

            def reader(self: Any, key: Any, *args: Any, **kwargs: Any) -> Any:
                if isinstance(self, QueryDict) and isinstance(key, str) and len(key) < 40:
                    keys.add(key)
                return orig(self, key, *args, **kwargs)

            return reader

        for name in originals:
            setattr(MultiValueDict, name, wrap(name))
        try:
            yield self
        finally:
            for name, orig in originals.items():
                setattr(MultiValueDict, name, orig)


class Prober:
    def __init__(self, client: Client, user: Any) -> None:
        self.client, self.user = client, user
        self.failures: list[str] = []
        self.count = 0

    def check(self, method: str, url: str, resp: Any, note: str = "") -> None:
        self.count += 1
        body = resp.content[:200_000].decode("utf-8", "replace") if not getattr(resp, "streaming", False) else ""
        who = getattr(self.user, "username", "anonymous")
        if resp.status_code >= 500:
            self.failures.append(f"{resp.status_code} {method} {url[:120]} as {who} {note[:300]}")
        elif any(m in body for m in STACK_MARKERS):
            self.failures.append(f"stack trace in {method} {url[:120]} as {who}")
        seen = getattr(resp.wsgi_request, "user", None)  # (none when refused before the auth middleware)
        if self.user is not None and seen is not None and not seen.is_authenticated:
            self.client.force_login(self.user)  # a logout route logged us out

    def get(self, url: str, params: dict[str, str] | None = None, note: str = "") -> Any:
        resp = self.client.get(url, params or {})
        self.check("GET", url, resp, note)
        return resp

    def post(self, url: str, data: Any, note: str = "", **kw: Any) -> Any:
        resp = self.client.post(url, data, **kw)
        self.check("POST", url, resp, note)
        return resp


def rotations(turn: int) -> int:
    """Hostile rotations per route for the identity of this turn: two for the anonymous visitor and the superuser
    (who reach the most code), one for each role (each starting elsewhere in the list of values)."""
    return 2 if turn in (0, LAST_TURN) else 1


def _fill(route: str, values: dict[str, str]) -> str:
    return re.sub(r"<(\w+)>", lambda m: values[m.group(1)], route)


def _path_values(kinds: dict[str, str], world: dict[str, Any], turn: int, hostile: bool) -> dict[str, str]:
    out = {}
    for j, (name, kind) in enumerate(kinds.items()):
        k = turn + j
        if kind == "int":
            if name == "year":
                out[name] = "2024" if not hostile else ["99999", "0", HUGE][k % 3]
            else:
                out[name] = world["ids"][k % len(world["ids"])] if not hostile else HOSTILE_PATH_INT[k % 3]
        elif kind == "indexno":
            out[name] = world["index_no"] if not hostile else "ZZ/9999-99999"
        elif kind == "any":  # static files
            out[name] = "gongkai/staff.css" if not hostile else "../../../etc/passwd"
        else:
            out[name] = STR_SAMPLES[k % len(STR_SAMPLES)] if not hostile else HOSTILE_PATH_STR[k % len(HOSTILE_PATH_STR)]
    return out


def _probe_pages(p: Prober, world: dict[str, Any], turn: int) -> None:
    for route, kinds in _page_routes():
        for hostile_path in (False, True):
            url = _fill(route, _path_values(kinds, world, turn, hostile_path))
            rec = Recorder()
            with rec.recording():
                p.get(url)
                p.post(url, {})
            if hostile_path:
                continue
            keys = sorted(rec.keys)
            for shift in range(rotations(turn)):  # rotations of hostile values over the parameters the view read
                values = {k: HOSTILE_TEXT[(turn + shift * 7 + j) % len(HOSTILE_TEXT)] for j, k in enumerate(keys)}
                shown = {k: v[:12] for k, v in values.items()}
                p.get(url, values, note=f"params {shown}")
                p.post(url, values, note=f"form {shown}")
            if turn == 0:  # oversized bodies once per route (refused before any view)
                resp = p.post(url, BIG_BODY, content_type="application/x-www-form-urlencoded")
                assert resp.status_code in (413, 405, 404), (url, resp.status_code)


def _json_value(schema: dict, world: dict[str, Any], name: str) -> Any:
    kind = schema.get("type") or next((s.get("type") for s in schema.get("anyOf", []) if s.get("type") != "null"), "")
    fmt = schema.get("format") or next((s.get("format") for s in schema.get("anyOf", []) if s.get("format")), "")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "integer":
        return 2024 if "year" in name else int(world["ids"][0])
    if kind == "boolean":
        return True
    if fmt == "date":
        return "2024-03-04"
    if kind == "array":
        return []
    return "七政街道2023年部门预算"


def _probe_api(p: Prober, world: dict[str, Any], turn: int) -> None:
    for method, path, params, body in _api_operations():
        real_url = ""
        for variant in range(1 + rotations(turn)):  # 0 real values, then rotations of hostile values
            hostile = variant > 0
            k = turn + variant * 7
            path_values, query = {}, {}
            for j, prm in enumerate(params):
                name, schema = prm["name"], prm.get("schema", {})
                if prm["in"] == "path":
                    if name == "query_code":
                        real = world["query_code"]
                    elif name == "index_no":
                        real = world["index_no"]
                    else:
                        real = str(_json_value(schema, world, name))
                    if name in ("year",) or schema.get("type") == "integer":
                        real = "2024" if "year" in name else world["ids"][(turn + j) % len(world["ids"])]
                    path_values[name] = real if not hostile else (HOSTILE_PATH_INT + HOSTILE_PATH_STR)[(k + j) % 8]
                elif prm["in"] == "query":
                    query[name] = (str(_json_value(schema, world, name)) if not hostile
                                   else HOSTILE_TEXT[(k + j) % len(HOSTILE_TEXT)])
            url = re.sub(r"\{(\w+)\}", lambda m, v=path_values: v[m.group(1)], path)
            real_url = url if variant == 0 else real_url
            if method == "GET":
                p.get(url, query, note=f"query {query}"[:80])
                continue
            if url.endswith("?") or query:
                url += "?" + "&".join(f"{a}={b}" for a, b in query.items())
            payload: Any
            if body and body.get("multipart"):
                payload = {"file": b""}
                p.post(url, {"title": HOSTILE_TEXT[k % len(HOSTILE_TEXT)]} if hostile else {}, note="multipart")
                continue
            props = (body or {}).get("properties", {})
            payload = {name: (_json_value(s, world, name) if not hostile
                              else HOSTILE_JSON[(k + j) % len(HOSTILE_JSON)])
                       for j, (name, s) in enumerate(props.items())}
            call = getattr(p.client, method.lower())
            resp = call(url, json.dumps(payload), content_type="application/json")
            p.check(method, url, resp, note=f"body {list(payload)}")
        if turn == 0 and method != "GET":
            resp = getattr(p.client, method.lower())(real_url, BIG_BODY, content_type="application/json")
            p.check(method, real_url, resp, note="3 MB body")
            assert resp.status_code in (413, 405), (method, real_url, resp.status_code)


def test_every_route_survives_junk(junk_world: dict[str, Any]) -> None:
    started = time.monotonic()
    users = junk_world["users"]
    identities = [None, *(u for name, u in users.items() if name != "root"), users["root"]]
    assert len(identities) == LAST_TURN + 1
    failures, count = [], 0
    for turn, user in enumerate(identities):
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        p = Prober(client, user)
        _probe_pages(p, junk_world, turn)
        _probe_api(p, junk_world, turn)
        failures += p.failures
        count += p.count
    elapsed = time.monotonic() - started
    print(f"{count} requests over {len(_page_routes())} pages and {len(_api_operations())} API operations "
          f"as {len(identities)} identities in {elapsed:.1f} s")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(dict.fromkeys(failures))
    assert count > 1000  # the enumeration found the routes


def test_enumeration_finds_the_known_routes() -> None:
    """The walker sees pages of every kind and the API's operations (a broken walker would pass vacuously)."""
    pages = [r for r, _k in _page_routes()]
    assert "/xxgk/<body_id>/fdzdgknr/" in pages and "/staff/reports/supervise/" in pages
    assert "/staff/calendar/" in pages and "/accounts/login/" in pages
    ops = {(m, path) for m, path, _p, _b in _api_operations()}
    assert ("GET", "/api/catalog/public/search") in ops
    assert len(ops) >= 40 and len(pages) >= 50


@pytest.mark.parametrize("url", [
    "/api/catalog/public/search?q=a%00b",
    "/xxgk/{a}/fdzdgknr/?year=99999999999999999999999",
    "/staff/reports/supervise/?year=-1",
    "/staff/calendar/?year=99999",
])
def test_the_reported_junk_is_a_400_in_chinese(junk_world: dict[str, Any], url: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(junk_world["users"]["root"])
    resp = client.get(url.format(a=junk_world["a"].pk))
    assert resp.status_code == 400
    text = resp.content.decode()
    if url.startswith("/api/"):
        assert resp.json()["error"]["code"] == "bad_parameter" and "无效字符" in resp.json()["error"]["message"]
    else:
        assert "年度" in text and "之间" in text


def test_an_oversized_body_is_413_and_a_long_title_422(junk_world: dict[str, Any]) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(junk_world["users"]["clerk_a"])
    resp = client.post("/api/catalog/items", BIG_BODY, content_type="application/json")
    assert resp.status_code == 413 and resp.json()["error"]["code"] == "too_large"
    resp = client.post(f"/xxgk/{junk_world['a'].pk}/ysqgk/apply/", BIG_BODY,
                       content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 413 and "提交的内容过大" in resp.content.decode()
    resp = client.post("/api/catalog/items", json.dumps({"body_id": junk_world["a"].pk, "title": "长" * 200_000,
                                                         "text": "正文"}), content_type="application/json")
    assert resp.status_code == 422, resp.content[:300]
    assert "300" in resp.json()["error"]["message"]
    from gongkai.web.catalog.models import Item

    assert not Item.objects.filter(title__startswith="长长长").exists()
