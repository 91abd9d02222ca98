"""The API: token auth, one error shape, OpenAPI, registration and the lifecycle over HTTP."""
from __future__ import annotations

import datetime as dt

import pytest

from gongkai.web.bodies.services import token_create

D = dt.date


@pytest.fixture
def token_client(world, client):
    key = token_create(user=world["users"]["reviewer_a"], name="测试")

    def call(method: str, path: str, data=None, key_=key):
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key_}"}
        if data is not None:
            kwargs.update(data=data, content_type="application/json")
        return getattr(client, method)(path, **kwargs)

    return call


def test_openapi_and_docs(client, db):
    r = client.get("/api/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for p in ("/api/applications/", "/api/applications/{app_id}/decision", "/api/appeals/", "/api/calendar/notices",
              "/api/applications/ledger/{body_id}/{year}", "/api/bodies/"):
        assert p in paths, p
    assert client.get("/api/docs").status_code == 200


def test_token_auth(world, token_client):
    assert token_client("get", "/api/applications/").status_code == 200
    r = token_client("get", "/api/applications/", key_="gk_wrong")
    assert r.status_code == 401 and r.json() == {"error": {"code": "not_authenticated",
                                                           "message": "请先登录或提供有效的令牌", "details": {}}}


def test_register_and_handle_over_the_api(world, token_client):
    body = {"body_id": world["a"].pk, "channel": "registered_mail", "submitted_on": "2024-03-01",
            "signed_for_on": "2024-03-04", "applicant_type": "commercial", "applicant_name": "某公司",
            "description": "某项目批复"}
    r = token_client("post", "/api/applications/", body)
    assert r.status_code == 201, r.content
    app = r.json()
    assert app["received_on"] == "2024-03-04" and app["due_on"] == "2024-04-01" and app["number"].startswith("七政〔2024〕")
    assert "20个工作日" in app["deadline_text"]
    r = token_client("post", f"/api/applications/{app['id']}/correction-notice", {"on": "2024-03-06", "items": "文号"})
    assert r.status_code == 200 and r.json()["status"] == "correction"
    r = token_client("post", f"/api/applications/{app['id']}/correction-received", {"on": "2024-03-20"})
    assert r.json()["due_on"] == "2024-04-18"
    r = token_client("post", f"/api/applications/{app['id']}/decision",
                     {"on": "2024-04-10", "reply_type": "partial", "summary": "部分公开"})
    assert r.json()["status"] == "closed" and [e["kind"] for e in r.json()["events"]][-1] == "closed"
    r = token_client("post", f"/api/letters/applications/{app['id']}/reply.partial", {"withheld": "denied.third_party"})
    assert r.status_code == 200 and r.json()["number"] == "七政公开〔2024〕1号", r.content
    r = token_client("get", r.json()["docx"])
    assert r.status_code == 200 and r.content[:2] == b"PK"
    r = token_client("get", f"/api/applications/{app['id']}/history")
    assert [e["action"] for e in r.json()][-1] == "application.decide"
    r = token_client("get", f"/api/applications/public/{app['query_code']}")
    public = r.json()  # the decision in plain words, never the statistics label; no personal data
    assert public["reply_label"].startswith("部分公开：") and "区分处理" not in r.content.decode()
    assert "某公司" not in r.content.decode() and public["reply_sent_on"] == "2024-04-10"
    r = token_client("post", f"/api/applications/{app['id']}/decision", {"on": "2024-04-11", "reply_type": "granted"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"


def test_validation_errors_have_one_shape(world, token_client):
    r = token_client("post", "/api/applications/", {"body_id": world["a"].pk, "channel": "in_person",
                                                    "submitted_on": "2024-03-01", "applicant_type": "martian",
                                                    "applicant_name": " ", "description": "x"})
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "invalid" and set(err["details"]) == {"applicant_type", "applicant_name"}
    r = token_client("post", "/api/applications/", {"body_id": "不是数字"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid" and "body_id" in r.json()["error"]["details"]
    r = token_client("get", "/api/applications/999999")
    assert r.status_code == 404 and r.json()["error"]["message"] == "未找到该申请"
    r = token_client("post", "/api/applications/", {"body_id": world["a"].pk, "channel": "in_person",
                                                    "submitted_on": "2024-03-01", "applicant_type": "natural",
                                                    "applicant_name": "x", "description": "y"})
    app_id = r.json()["id"]
    r = token_client("post", f"/api/applications/{app_id}/extend", {"on": "2024-03-05", "days": 30, "reason": "x"})
    assert r.status_code == 403  # reviewer_a is not the 负责人


def test_list_filters_and_due(world, make_app, token_client):
    make_app(received=D(2024, 3, 4))
    make_app(received=D(2024, 3, 5), applicant_type="research")
    r = token_client("get", "/api/applications/?applicant_type=research")
    assert r.json()["count"] == 1
    r = token_client("get", "/api/applications/?due=overdue&limit=1")
    assert r.json()["count"] == 2 and len(r.json()["items"]) == 1
    assert len(token_client("get", "/api/applications/due").json()) == 2


def test_appeals_over_the_api(world, make_app, token_client):
    from gongkai.web.applications import services as s

    app = s.decision_record(application=make_app(), actor=world["users"]["reviewer_a"], on=D(2024, 3, 20),
                            reply_type="denied.process_info")
    r = token_client("post", "/api/appeals/", {"application_id": app.pk, "kind": "review", "authority": "南岗区人民政府",
                                               "filed_on": "2024-04-01"})
    assert r.status_code == 201
    review = r.json()["id"]
    r = token_client("post", "/api/appeals/", {"application_id": app.pk, "kind": "litigation_after_review",
                                               "authority": "南岗区人民法院", "filed_on": "2024-06-01",
                                               "review_id": review})
    assert r.status_code == 201
    r = token_client("post", f"/api/appeals/{review}/result", {"result": "upheld", "decided_on": "2024-05-20"})
    assert r.json()["result"] == "upheld"
    cells = token_client("get", f"/api/applications/ledger/{world['a'].pk}/2024").json()
    assert cells["s4.review.upheld"] == 1 and cells["s4.litigation_after_review.pending"] == 1
    r = token_client("post", "/api/appeals/", {"application_id": app.pk, "kind": "litigation_after_review",
                                               "authority": "x", "filed_on": "2024-06-01"})
    assert r.status_code == 422 and "review" in r.json()["error"]["details"]


def test_assign_a_handler(world, make_app, token_client):
    app = make_app()
    r = token_client("post", f"/api/applications/{app.pk}/assign", {"username": "handler_a"})
    assert r.status_code == 200 and r.json()["handler"] == "handler_a"
    r = token_client("post", f"/api/applications/{app.pk}/assign", {"username": "all_b"})
    assert r.status_code == 422 and "username" in r.json()["error"]["details"]
