"""Two app servers on one PostgreSQL and one Redis (issue 13, "production and more than one server").

The setup starts its own throwaway PostgreSQL (initdb on a unix socket, as scripts/with-postgres.sh does) and
Redis (no persistence), migrates and fills the database, then runs two ``gongkai serve`` instances (gunicorn) with
``DATABASE_URL`` and ``GONGKAI_REDIS_URL`` pointing at them — two servers behind one load balancer. It shows:

* the public page cache is one cache: a page rendered by server A is served to server B's visitor from Redis
  (no new cache entry), and a withdrawn item is gone from both servers at the very next request;
* the application form's rate limit is counted across both servers (the citizen alternates between them);
* the login lockout (django-axes, in the shared cache) holds on both servers.

Skipped under scripts/with-postgres.sh (``DATABASE_URL`` set): it brings its own PostgreSQL and runs in the
SQLite pass of ``make test``.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.postgres,
              pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")),
                                 reason="brings its own PostgreSQL: runs in the SQLite pass of make test")]

SETUP = r"""
import json
import django

django.setup()
from django.core.management import call_command

call_command("migrate", interactive=False, verbosity=0)
from gongkai.web.bodies.models import Role
from gongkai.web.bodies.services import body_create, membership_grant, user_create
from gongkai.web.catalog import services as catalog

body = body_create(name="南岗区七政街道办事处", short_name="七政", kind="government", level="township",
                   code="12230103MB1234567X")
clerk = user_create(username="clerk", password="secret-pass-1")
reviewer = user_create(username="reviewer", password="secret-pass-1")
membership_grant(user=clerk, body=body, role=Role.CLERK)
membership_grant(user=reviewer, body=body, role=Role.REVIEWER)
item = catalog.item_create(body=body, author=clerk, title="七政街道老旧小区改造实施方案", text="正文。")
catalog.item_submit(item=item, actor=clerk)
catalog.item_review(item=item, reviewer=reviewer, approve=True, basis="不涉密")
item = catalog.item_publish(item=item, actor=clerk)
print(json.dumps({"body": body.pk, "item": item.pk, "index_no": item.index_no}))
"""

WITHDRAW = r"""
import sys
import django

django.setup()
from django.contrib.auth import get_user_model
from gongkai.web.catalog import services as catalog
from gongkai.web.catalog.models import Item

item = Item.objects.get(pk=int(sys.argv[1]))
catalog.item_withdraw(item=item, actor=get_user_model().objects.get(username="reviewer"), reason="内容有误，撤回")
"""

FORM = {"applicant_type": "natural", "applicant_name": "张某某", "id_type": "居民身份证",
        "id_number": "230103198001011234", "contact_phone": "13900001111", "contact_email": "",
        "contact_address": "哈尔滨市南岗区某街1号", "postcode": "150080",
        "description": "七政街道2025年老旧小区改造项目的批复文件", "requested_form": "electronic",
        "delivery": "post", "website": ""}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(check: Any, what: str, log: Path | None = None, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{what} did not start" + (f":\n{log.read_text(errors='replace')[-3000:]}" if log else ""))


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """A throwaway PostgreSQL server on a unix socket; its database URL."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not bins or not (bins[-1] / "initdb").exists():
        pytest.fail("PostgreSQL is required (Debian package postgresql; scripts/setup-system.sh installs it)")
    pg = bins[-1]
    root = Path(tempfile.mkdtemp(prefix="gongkai-pg-"))  # in /tmp itself: the postgres user must reach it
    as_user: list[str] = []
    if os.getuid() == 0:  # PostgreSQL refuses to run as root
        subprocess.run(["id", "postgres"], check=True, capture_output=True)
        shutil.chown(root, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    data = root / "data"
    subprocess.run([*as_user, str(pg / "initdb"), "-D", str(data), "-U", "gongkai", "--auth=trust", "-E", "UTF8",
                    "--locale=C.UTF-8"], check=True, capture_output=True)
    opts = f"-k {root} -p {port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
    subprocess.run([*as_user, str(pg / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w", "-t", "30",
                    "-o", opts, "start"], check=True, capture_output=True)
    try:
        subprocess.run([*as_user, str(pg / "createdb"), "-h", str(root), "-p", str(port), "-U", "gongkai", "gongkai"],
                       check=True, capture_output=True)
        yield f"postgres://gongkai@{urllib.parse.quote(str(root), safe='')}:{port}/gongkai"
    finally:
        subprocess.run([*as_user, str(pg / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def redis(tmp_path_factory: Any) -> Iterator[str]:
    """A throwaway Redis server (no persistence) on a local port; its URL."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is required (Debian package redis-server; scripts/setup-system.sh installs it)")
    port = _free_port()
    root = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import redis as redis_client

        _wait(lambda: redis_client.Redis(port=port).ping(), "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class Server:
    def __init__(self, name: str, port: int) -> None:
        self.name, self.port = name, port

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None,
                source: str = "127.0.0.1") -> tuple[int, str, http.client.HTTPResponse]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60, source_address=(source, 0))
        try:
            # one Host for both, as behind a load balancer (the page cache key holds the host)
            conn.request(method, path, body=body, headers={"Host": "localhost"} | (headers or {}))
            resp = conn.getresponse()
            return resp.status, resp.read().decode("utf-8", "replace"), resp
        finally:
            conn.close()

    def form(self, path: str, source: str) -> dict[str, str]:
        """Open a form: the CSRF cookie and the hidden fields."""
        status, html, resp = self.request("GET", path, source=source)
        assert status == 200, html[:500]
        cookie = re.search(r"csrftoken=([^;]+)", resp.getheader("Set-Cookie") or "").group(1)
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
        return {"cookie": cookie, **fields}

    def post(self, path: str, form: dict[str, str], data: dict[str, str], source: str) -> tuple[int, str]:
        fields = {k: v for k, v in form.items() if k != "cookie"} | data
        status, html, _ = self.request("POST", path, body=urllib.parse.urlencode(fields).encode(), source=source,
                                       headers={"Content-Type": "application/x-www-form-urlencoded",
                                                "Cookie": f"csrftoken={form['cookie']}"})
        return status, html


@pytest.fixture(scope="module")
def servers(postgres: str, redis: str, tmp_path_factory: Any) -> Iterator[tuple[Server, Server, dict[str, Any], dict]]:
    tmp = tmp_path_factory.mktemp("two-servers")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GONGKAI_", "DJANGO_")) and k not in ("DATABASE_URL", "CACHE_URL")}
    env |= {"GONGKAI_DATA_DIR": str(tmp), "DATABASE_URL": postgres, "GONGKAI_REDIS_URL": redis,
            "GONGKAI_LOG_LEVEL": "ERROR", "PYTHONPATH": os.pathsep.join(sys.path)}
    script_env = {**env, "DJANGO_SETTINGS_MODULE": "gongkai.web.settings"}
    out = subprocess.run([sys.executable, "-c", SETUP], env=script_env, capture_output=True, text=True, timeout=300,
                         check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    ids = json.loads(out.stdout.strip().splitlines()[-1])
    gongkai = os.path.join(os.path.dirname(sys.executable), "gongkai")
    procs, found = [], []
    try:
        for name in ("A", "B"):
            port = _free_port()
            log = tmp / f"serve-{name}.log"
            with log.open("w") as sink:
                procs.append(subprocess.Popen([gongkai, "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
                                              env=env, stdout=sink, stderr=subprocess.STDOUT))
            srv = Server(name, port)
            _wait(lambda s=srv: s.request("GET", "/healthz")[0] == 200, f"server {name}", log)
            found.append(srv)
        yield found[0], found[1], ids, script_env
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def _portal_keys(redis_url: str) -> int:
    import redis as redis_client

    return sum(1 for _ in redis_client.Redis.from_url(redis_url).scan_iter("gk-portal:*"))


def test_a_withdrawn_item_is_gone_from_both_servers_at_once(servers: Any, redis: str) -> None:
    a, b, ids, script_env = servers
    url = f"/xxgk/item/{ids['index_no']}/"
    assert a.request("GET", url)[0] == 200
    cached = _portal_keys(redis)
    assert cached >= 1  # server A's page is in Redis
    status, html, _ = b.request("GET", url)
    assert status == 200 and "七政街道老旧小区改造实施方案" in html
    assert _portal_keys(redis) == cached  # server B found A's page: one cache, not one per server
    out = subprocess.run([sys.executable, "-c", WITHDRAW, str(ids["item"])], env=script_env, capture_output=True,
                         text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    for srv in (a, b):
        status, html, _ = srv.request("GET", url)
        assert status == 404, (srv.name, status)
        assert "七政街道老旧小区改造实施方案" not in html


def test_the_application_rate_limit_is_counted_across_both_servers(servers: Any) -> None:
    from gongkai.web.portal.services import MIN_SECONDS, RATE_LIMIT

    a, b, ids, _env = servers
    path = f"/xxgk/{ids['body']}/ysqgk/apply/"
    source = "127.0.0.9"
    forms = [(a if i % 2 == 0 else b).form(path, source) for i in range(RATE_LIMIT + 1)]
    time.sleep(MIN_SECONDS + 0.5)  # the form token refuses a submission faster than a person
    answers = []
    for i, form in enumerate(forms):  # the citizen's requests alternate between the servers
        srv = a if i % 2 == 0 else b
        status, html = srv.post(path, form, FORM | {"description": f"{FORM['description']}（第{i + 1}份）"}, source)
        answers.append((srv.name, status))
        if status != 200:
            assert "提交过于频繁" in html
    assert [s for _n, s in answers] == [200] * RATE_LIMIT + [429], answers
    # another citizen (another address) still applies, on either server
    other = b.form(path, "127.0.0.10")
    time.sleep(MIN_SECONDS + 0.5)
    assert b.post(path, other, FORM, "127.0.0.10")[0] == 200


def test_the_login_lockout_holds_on_both_servers(servers: Any) -> None:
    from django.conf import settings

    a, b, _ids, _env = servers
    source = "127.0.0.11"
    statuses = []
    for i in range(settings.AXES_FAILURE_LIMIT):
        srv = a if i % 2 == 0 else b
        form = srv.form("/accounts/login/", source)
        statuses.append(srv.post("/accounts/login/", form, {"username": "clerk", "password": "wrong"}, source)[0])
    assert statuses[-1] == 429 and all(s == 200 for s in statuses[:-1]), statuses
    for srv in (a, b):  # the right password, on either server, is refused while locked out
        form = srv.form("/accounts/login/", source)
        status, html = srv.post("/accounts/login/", form, {"username": "clerk", "password": "secret-pass-1"}, source)
        assert status == 429 and "登录已暂停" in html, (srv.name, status)
    form = a.form("/accounts/login/", "127.0.0.12")  # from another address the clerk logs in
    assert a.post("/accounts/login/", form, {"username": "clerk", "password": "secret-pass-1"}, "127.0.0.12")[0] == 302
