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


def test_rate_limit_holds_across_worker_processes(client, world):
    """gunicorn runs several workers, each with its own in-process cache: clearing the cache before every post
    stands for a post landing on another worker, and the limit must still hold."""
    url = reverse("portal:apply", args=[world["street"].pk])
    codes = []
    for _ in range(services.RATE_LIMIT + 2):
        cache.clear()
        codes.append(client.post(url, _form()).status_code)
    assert codes == [200] * services.RATE_LIMIT + [429, 429]
    assert Application.objects.count() == services.RATE_LIMIT
    cache.clear()
    assert client.post(url, _form(), REMOTE_ADDR="10.1.2.3").status_code == 200  # another client is not limited


def test_rate_window_expires_and_past_counters_are_pruned(world):
    from gongkai.web.portal.models import RateCounter

    start = 20_000 * services.RATE_WINDOW + 10  # early in a window
    for i in range(services.RATE_LIMIT):
        services.check_rate("192.0.2.7", now=start + i)
    with pytest.raises(services.TooMany):
        services.check_rate("192.0.2.7", now=start + services.RATE_WINDOW - 20)  # still the same window
    services.check_rate("192.0.2.8", now=start)  # another client, same window
    assert sorted(RateCounter.objects.values_list("window", "count")) == [(20_000, 1), (20_000, 6)]
    assert not RateCounter.objects.filter(key__contains="192.0.2").exists()  # no address is stored
    later = start + services.RATE_WINDOW
    for i in range(services.RATE_LIMIT):
        services.check_rate("192.0.2.7", now=later + i)  # the next window: the limit starts again
    with pytest.raises(services.TooMany):
        services.check_rate("192.0.2.7", now=later + 60)
    assert list(RateCounter.objects.values_list("window", "count")) == [(20_001, 6)]  # past windows pruned


@pytest.mark.django_db(transaction=True)
def test_rate_limit_under_concurrent_requests(world):
    """Threads with their own database connections post at once (as the workers do): exactly the limit passes."""
    import threading

    from django.db import connection, connections

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite test database has no concurrent connections; run with-postgres.sh")
    now, n = time.time(), 4 * services.RATE_LIMIT
    barrier, results = threading.Barrier(n), []

    def post():
        try:
            barrier.wait()
            services.check_rate("198.51.100.9", now=now)
            results.append("ok")
        except services.TooMany:
            results.append("429")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["429"] * (n - services.RATE_LIMIT) + ["ok"] * services.RATE_LIMIT


def test_a_failed_submission_does_not_spend_the_allowance(world, monkeypatch):
    """The count and the application are one transaction: a submission that fails — the database, or the
    application refused by the service — is not counted, and the citizen still has the whole allowance."""
    from django.db import OperationalError

    from gongkai.web.applications import services as apps
    from gongkai.web.portal.models import RateCounter

    fields = {k: v for k, v in _form().items() if k not in ("website", "token")}
    def apply(**over):  # a fresh form each time (a token is accepted once)
        return services.public_apply(body=world["street"], client="203.0.113.5",
                                     token=services.form_token(now=time.time() - 30), honeypot="",
                                     fields={**fields, **over})

    register = apps.application_register

    def locked(**kwargs):
        register(**kwargs)  # the application is written, then the transaction fails
        raise OperationalError("database is locked")

    monkeypatch.setattr(apps, "application_register", locked)
    for _ in range(2):
        with pytest.raises(OperationalError):
            apply()
    monkeypatch.setattr(apps, "application_register", register)
    with pytest.raises(services.Invalid):
        apply(applicant_type="nobody")  # refused by the service
    assert not RateCounter.objects.exists() and not Application.objects.exists()
    for _ in range(services.RATE_LIMIT):
        apply()
    with pytest.raises(services.TooMany):
        apply()
    assert Application.objects.count() == services.RATE_LIMIT
    assert list(RateCounter.objects.values_list("count", flat=True)) == [services.RATE_LIMIT]  # refusals not counted
