"""Online application: validation, anti-spam, rate limit, receipt with the query code; the public status page."""
from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from gongkai.web.applications.models import Application
from gongkai.web.portal import services

NAME, ID_NUMBER, PHONE = "张某某", "230103198001011234", "13900001111"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _form(**over):
    data = {"applicant_type": "natural", "applicant_name": NAME, "id_type": "居民身份证", "id_number": ID_NUMBER,
            "contact_phone": PHONE, "contact_email": "", "contact_address": "哈尔滨市南岗区某街1号",
            "postcode": "150080", "description": "七政街道2025年老旧小区改造项目的批复文件",
            "requested_form": "electronic", "delivery": "post", "website": "",
            "token": services.form_token(now=time.time() - 30)}
    data.update(over)
    return data


def test_apply_gives_a_receipt_and_the_status_page_shows_no_personal_data(client, world):
    url = reverse("portal:apply", args=[world["street"].pk])
    assert 'name="token"' in client.get(url).content.decode()
    resp = client.post(url, _form())
    assert resp.status_code == 200
    app = Application.objects.get()
    html = resp.content.decode()
    assert app.query_code in html and app.channel == "online" and app.received_on
    status = client.get(reverse("portal:status"), {"code": app.query_code}).content.decode()
    assert "办理中" in status and "收到申请" in status and app.number in status
    for private in (NAME, ID_NUMBER, PHONE, "老旧小区改造项目的批复文件", "某街1号"):
        assert private not in status


def test_the_timeline_hides_internal_events_and_notes(client, world):
    from gongkai.web.applications import services as apps

    client.post(reverse("portal:apply", args=[world["street"].pk]), _form())
    app = Application.objects.get()
    apps.application_assign(application=app, handler=world["reviewer"], actor=world["reviewer"])
    status = client.get(reverse("portal:status"), {"code": app.query_code.replace("-", "").lower()})
    html = status.content.decode()
    assert status.status_code == 200 and "收到申请" in html
    assert "分配承办人" not in html and "reviewer" not in html


def test_validation_errors_are_shown_and_nothing_is_registered(client, world):
    url = reverse("portal:apply", args=[world["street"].pk])
    resp = client.post(url, _form(applicant_name="", contact_phone="abc", description="短", postcode="12"))
    html = resp.content.decode()
    assert resp.status_code == 422 and "请填写有效的联系电话" in html and "邮政编码应为6位数字" in html
    assert "至少5个字" in html and not Application.objects.exists()
    resp = client.post(url, _form(delivery="email", contact_email=""))
    assert "请填写电子邮箱" in resp.content.decode() or "电子邮件时请填写电子邮箱" in resp.content.decode()


def test_spam_measures(client, world):
    url = reverse("portal:apply", args=[world["street"].pk])
    assert client.post(url, _form(website="http://spam.example")).status_code == 422  # honeypot
    assert client.post(url, _form(token=services.form_token())).status_code == 422  # too fast
    assert client.post(url, _form(token="forged")).status_code == 422
    assert client.post(url, _form(token=services.form_token(now=time.time() - 3 * 3600))).status_code == 422
    assert not Application.objects.exists()


def test_rate_limit(client, world):
    url = reverse("portal:apply", args=[world["street"].pk])
    codes = [client.post(url, _form()).status_code for _ in range(services.RATE_LIMIT + 1)]
    assert codes == [200] * services.RATE_LIMIT + [429]
    assert Application.objects.count() == services.RATE_LIMIT


def test_unknown_query_code(client, world):
    resp = client.get(reverse("portal:status"), {"code": "AAAA-BBBB-CCCC"})
    assert resp.status_code == 404 and "未找到该查询码" in resp.content.decode()


def test_application_form_download(client, world):
    resp = client.get(reverse("portal:apply-form", args=[world["street"].pk]))
    assert resp.status_code == 200 and resp.content[:2] == b"PK"
