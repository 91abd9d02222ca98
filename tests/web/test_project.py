"""Project-level checks: migrations match the models, settings come from the environment, the CLI works."""
from __future__ import annotations

import io
import subprocess
import sys

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
