"""Project-level checks: migrations match the models, settings come from the environment, the CLI works."""
from __future__ import annotations

import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from typer.testing import CliRunner


def test_migrations_are_complete(db):
    out = io.StringIO()
    call_command("makemigrations", "bodies", "audit", "clock", "applications", "appeals", "--check", "--dry-run",
                 stdout=out)
    assert "No changes detected" in out.getvalue()


def test_settings_fail_loudly_on_bad_environment(tmp_path):
    code = "import gongkai.web.settings"
    env = {"GONGKAI_DATA_DIR": str(tmp_path), "GONGKAI_DEBUG": "maybe", "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert r.returncode != 0 and "GONGKAI_DEBUG" in r.stderr
    env["GONGKAI_DEBUG"] = "false"
    env["DATABASE_URL"] = "postgres://u:p@localhost:5/x"
    r = subprocess.run([sys.executable, "-c", code + " as s; print(s.DATABASES['default']['ENGINE'])"], env=env,
                       capture_output=True, text=True, check=False)
    assert r.returncode == 0 and "postgresql" in r.stdout
    assert (tmp_path / "secret_key").exists()


def test_digest_command(world, make_app, capsys):
    import datetime as dt

    make_app(received=dt.date(2024, 3, 4))
    from gongkai.cli import app

    result = CliRunner().invoke(app, ["digest", "--date", "2024-03-28"])
    assert result.exit_code == 0, result.output
    assert "南岗区七政街道办事处" in result.output and "五个工作日内到期】1件" in result.output
    result = CliRunner().invoke(app, ["digest", "--date", "2024-04-02"])
    assert "已超期】1件" in result.output
    result = CliRunner().invoke(app, ["digest", "--date", "2024-13-02"])
    assert result.exit_code == 2 and "日期格式" in result.output


def test_digest_mail(world, make_app, mailoutbox):
    import datetime as dt

    from gongkai.web.applications.digest import digest_send

    make_app(received=dt.date(2024, 3, 4))
    sent = digest_send(today=dt.date(2024, 4, 2), email=True)
    assert len(sent) == 1 and len(mailoutbox) == 1
    assert set(mailoutbox[0].to) == {"handler_a@example.org", "reviewer_a@example.org", "head_a@example.org"}


def test_database_vendor_matches_environment(db):
    import os

    from django.db import connection

    wanted = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == wanted


def test_user_and_token_commands(world):
    from django.contrib.auth import get_user_model
    from django.core.management.base import CommandError

    from gongkai.web.bodies.services import token_authenticate

    out = io.StringIO()
    call_command("gongkai_user", "newclerk", "--password", "long-enough-9", "--body", world["a"].name,
                 "--role", "clerk", "--role", "handler", stdout=out)
    assert "登记员、承办人" in out.getvalue()
    user = get_user_model().objects.get(username="newclerk")
    assert user.check_password("long-enough-9")
    try:
        call_command("gongkai_user", "x", "--password", "p", "--body", "没有这个机关", "--role", "clerk")
    except CommandError as exc:
        assert "机关不存在" in str(exc)
    else:
        raise AssertionError("expected CommandError")
    out = io.StringIO()
    call_command("gongkai_token", "newclerk", stdout=out)
    assert token_authenticate(key=out.getvalue().strip()) == user


def test_demo_loads_once_and_its_ledger_checks(db, settings):
    import datetime as dt

    from gongkai.checks import has_errors, run_checks
    from gongkai.web.applications.models import Application
    from gongkai.web.applications.selectors import ledger_report
    from gongkai.web.bodies.models import Body, Membership
    from gongkai.web.core.demo import QIZHENG, load_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    today = dt.date(2025, 11, 20)
    result = load_demo(today=today, count=40)
    assert result["created"] and result["applications"] >= 40
    body = Body.objects.get(name=QIZHENG)
    assert body.parent.parent.name == "哈尔滨市人民政府" and body.phone == "0451-86319233"
    assert Membership.objects.filter(user__username="ducha", role="supervisor", body__short_name="南岗区").exists()
    statuses = set(Application.objects.filter(body=body).values_list("status", flat=True))
    assert "closed" in statuses and len(statuses) >= 2
    for year in (2024, 2025):
        assert not has_errors(run_checks(ledger_report(body=body, year=year)))
    # last year's report waits for the 负责人's 签发; the demo's reviewer cannot sign, fuze can, then it is published
    from django.contrib.auth import get_user_model

    from gongkai.web.core.errors import Forbidden
    from gongkai.web.reports import services as rs
    from gongkai.web.reports.models import AnnualReport

    users = {u.username: u for u in get_user_model().objects.filter(username__in=["shenhe", "fuze"])}
    rep = AnnualReport.objects.get(body=body, year=2024)
    assert rep.state == "reviewed" and "签发" in result["history"]
    with pytest.raises(Forbidden):
        rs.report_sign(report=rep, actor=users["shenhe"])
    rep = rs.report_sign(report=rep, actor=users["fuze"])
    assert rs.report_publish(report=rep, actor=users["shenhe"]).state == "published"
    assert AnnualReport.objects.get(body=body, year=2023).published_on is None  # imported, its date not stated
    assert load_demo(today=today, count=40)["created"] is False


def test_serve_runs_gunicorn(tmp_path):
    import os
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "GONGKAI_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    gongkai = os.path.join(os.path.dirname(sys.executable), "gongkai")
    proc = subprocess.Popen([gongkai, "serve", "--port", str(port), "--workers", "1"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    assert r.status == 200
                break
            except OSError:
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as r:
            assert "工作人员登录" in r.read().decode()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/openapi.json", timeout=5) as r:
            assert b'"openapi"' in r.read()
    finally:
        proc.terminate()
        out = proc.communicate(timeout=20)[0]
    assert "gunicorn" in out.lower() and (tmp_path / "gongkai.sqlite3").exists()
