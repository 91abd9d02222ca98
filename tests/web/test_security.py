"""Login throttling, the client address behind proxies, one-time form tokens, the Content-Security-Policy header and
the production settings (issue 13, points 6 and "production").

The field report: 30 wrong passwords, then the right one worked; the application form's token could be replayed
within 2 h; the rate limit keyed on REMOTE_ADDR, so behind a proxy the whole site shared one allowance; no CSP.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _login(client: Client, username: str, password: str, **meta: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, **meta)


# --- login throttling -------------------------------------------------------------------------------------------

def test_wrong_passwords_lock_the_user_name_out_from_that_address(world: dict[str, Any], settings: Any) -> None:
    limit = settings.AXES_FAILURE_LIMIT
    client = Client()
    for _ in range(limit - 1):
        resp = _login(client, "clerk_a", "wrong-password", REMOTE_ADDR="10.1.1.1")
        assert resp.status_code == 200  # the login form again, with its error
    assert _login(client, "clerk_a", "wrong-password", REMOTE_ADDR="10.1.1.1").status_code == 429  # the limit-th
    resp = _login(client, "clerk_a", DEMO_PASSWORD, REMOTE_ADDR="10.1.1.1")  # the right password, too late
    assert resp.status_code == 429
    text = resp.content.decode()
    assert "登录已暂停" in text and f"{limit} 次" in text and "分钟后再试" in text
    assert "_auth_user_id" not in client.session
    # the same name from another address, and another name from this address, still log in
    assert _login(Client(), "clerk_a", DEMO_PASSWORD, REMOTE_ADDR="10.1.1.2").status_code == 302
    assert _login(Client(), "handler_a", DEMO_PASSWORD, REMOTE_ADDR="10.1.1.1").status_code == 302


def test_a_success_before_the_limit_resets_the_count(world: dict[str, Any], settings: Any) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(Client(), "clerk_a", "wrong-password", REMOTE_ADDR="10.1.1.3")
    assert _login(Client(), "clerk_a", DEMO_PASSWORD, REMOTE_ADDR="10.1.1.3").status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(Client(), "clerk_a", "wrong-password", REMOTE_ADDR="10.1.1.3")
    assert _login(Client(), "clerk_a", DEMO_PASSWORD, REMOTE_ADDR="10.1.1.3").status_code == 302


def test_behind_a_trusted_proxy_the_lockout_counts_the_forwarded_client(world: dict[str, Any], settings: Any) -> None:
    settings.GONGKAI_TRUSTED_PROXIES = ["127.0.0.1", "10.9.0.0/16"]
    proxy = {"REMOTE_ADDR": "10.9.0.5"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(Client(), "clerk_a", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.7, 127.0.0.1", **proxy)
    assert _login(Client(), "clerk_a", DEMO_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code == 429
    # another citizen behind the same proxy is not locked out with the attacker
    assert _login(Client(), "clerk_a", DEMO_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy).status_code == 302


# --- the client address -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("remote", "forwarded", "expected"), [
    ("198.51.100.9", "203.0.113.7", "198.51.100.9"),           # not from a proxy: the header is anyone's to write
    ("127.0.0.1", "203.0.113.7", "203.0.113.7"),               # from the proxy
    ("127.0.0.1", "1.1.1.1, 203.0.113.7", "203.0.113.7"),      # the client forged a first entry: the proxy's wins
    ("127.0.0.1", "203.0.113.7, 10.9.0.1", "203.0.113.7"),     # through two trusted proxies
    ("127.0.0.1", "", "127.0.0.1"),                            # a request the proxy made itself
    ("127.0.0.1", "junk, 10.9.0.1", "127.0.0.1"),              # junk in the header: no client address known
    ("::1", "2001:db8::5", "2001:db8::5"),
    ("", "203.0.113.7", None),                                 # no address at all (a request built in code)
])
def test_client_ip(settings: Any, remote: str, forwarded: str, expected: str | None) -> None:
    from gongkai.web.core.client import client_ip

    settings.GONGKAI_TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.9.0.0/16"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_without_trusted_proxies_the_header_is_ignored(settings: Any) -> None:
    from gongkai.web.core.client import client_ip

    settings.GONGKAI_TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client_ip(request) == "127.0.0.1"


def test_the_application_rate_limit_counts_each_forwarded_client(world: dict[str, Any], settings: Any) -> None:
    """Behind the proxy, five citizens each get their own allowance (before: one allowance for the whole site)."""
    from gongkai.web.applications.models import Application
    from gongkai.web.portal import services

    settings.GONGKAI_TRUSTED_PROXIES = ["127.0.0.1"]
    url = reverse("portal:apply", args=[world["a"].pk])
    for i in range(services.RATE_LIMIT + 2):
        resp = Client().post(url, _form(), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{i + 1}")
        assert resp.status_code == 200, resp.content.decode()[:500]
    assert Application.objects.count() == services.RATE_LIMIT + 2
    for _ in range(services.RATE_LIMIT - 1):  # one client past its allowance is still refused
        Client().post(url, _form(), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert Client().post(url, _form(), REMOTE_ADDR="127.0.0.1",
                         HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429


# --- one-time form tokens ------------------------------------------------------------------------------------------

def _form(**over: str) -> dict[str, str]:
    from gongkai.web.portal import services

    data = {"applicant_type": "natural", "applicant_name": "张某某", "id_type": "居民身份证",
            "id_number": "230103198001011234", "contact_phone": "13900001111", "contact_email": "",
            "contact_address": "哈尔滨市南岗区某街1号", "postcode": "150080",
            "description": "七政街道2025年老旧小区改造项目的批复文件", "requested_form": "electronic",
            "delivery": "post", "website": "", "token": services.form_token(now=time.time() - 30)}
    return data | over


def test_a_form_token_is_accepted_once(world: dict[str, Any]) -> None:
    from gongkai.web.applications.models import Application

    url = reverse("portal:apply", args=[world["a"].pk])
    data = _form()
    first = Client().post(url, data)
    assert first.status_code == 200 and Application.objects.count() == 1
    app = Application.objects.get()
    # the same token with other contents (a replay by someone who kept the page): refused, clearly
    replay = Client().post(url, data | {"applicant_name": "李四", "description": "另一项申请的内容描述"})
    assert replay.status_code == 422
    assert "该表单已经提交过" in replay.content.decode()
    assert Application.objects.count() == 1
    # a double click (the same contents again): the receipt of the one application, not an error
    again = Client().post(url, data)
    assert again.status_code == 200 and Application.objects.count() == 1
    html = again.content.decode()
    assert app.query_code in html and app.number in html and "未重复登记" in html
    assert "未重复登记" not in first.content.decode()


def test_a_token_without_a_nonce_is_refused(world: dict[str, Any]) -> None:
    """A token of the old shape (time only) cannot be replayed either."""
    from django.core import signing

    from gongkai.web.portal import services

    old = signing.dumps({"t": int(time.time() - 30)}, salt=services._SALT)
    resp = Client().post(reverse("portal:apply", args=[world["a"].pk]), _form(token=old))
    assert resp.status_code == 422 and "表单无效" in resp.content.decode()


def test_twin_submissions_meet_on_the_nonce(world: dict[str, Any]) -> None:
    """The service seen from the second of two simultaneous copies: after the first committed, the retry finds it."""
    from gongkai.web.portal import services

    nonce = services.check_token(services.form_token(now=time.time() - 30))
    fields = {k: v for k, v in _form().items() if k not in ("website", "token")}
    a = services._count_and_register(body=world["a"], client="203.0.113.1", fields=fields, nonce=nonce)
    b = services._count_and_register(body=world["a"], client="203.0.113.1", fields=fields, nonce=nonce)
    assert a.pk == b.pk and not a.replayed and b.replayed


# --- Content-Security-Policy and the production settings --------------------------------------------------------------

def test_pages_carry_a_content_security_policy(world: dict[str, Any]) -> None:
    resp = Client().get(reverse("portal:home"))
    policy = resp["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    client = Client()
    client.force_login(world["users"]["clerk_a"])
    assert "script-src 'self'" in client.get("/staff/")["Content-Security-Policy"]


def test_no_inline_script_or_style_in_templates() -> None:
    """Inline code would be refused by the policy (the browser test checks the rendered pages)."""
    import re

    root = Path(__file__).resolve().parents[2] / "src" / "gongkai" / "web"
    documents = {"channels/templates/channels/article.html",  # a 公众号 article: WeChat keeps inline styles only
                 "channels/templates/channels/sheet.html"}     # a PDF layout for WeasyPrint, never served as a page
    bad = re.compile(r"""\son[a-z]+=|style=["']|<style(?![^>]*nonce)|<script(?![^>]*\ssrc=)(?![^>]*application/json)|javascript:""")
    found = [f"{p.relative_to(root)}:{n}" for p in root.rglob("*.html") if str(p.relative_to(root)) not in documents
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if bad.search(line)]
    assert not found, found


def _check_deploy(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_") and k != "DATABASE_URL"}
    base |= {"GONGKAI_DATA_DIR": str(tmp_path), "PYTHONPATH": os.pathsep.join(sys.path)} | env
    command = [sys.executable, "-c", "from gongkai.cli import main; main()", "manage", "check", "--deploy",
               "--fail-level", "WARNING"]
    return subprocess.run(command, env=base, capture_output=True, text=True, timeout=120, check=False)


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    prod = {"GONGKAI_HTTPS": "true", "GONGKAI_ALLOWED_HOSTS": "gongkai.example.gov.cn",
            "GONGKAI_TRUSTED_PROXIES": "127.0.0.1"}
    done = _check_deploy(prod, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    dev = _check_deploy({}, tmp_path)  # the plain-http default is what check --deploy warns about
    assert dev.returncode != 0 and "security.W004" in dev.stdout + dev.stderr
