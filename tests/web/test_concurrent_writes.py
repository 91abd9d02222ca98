"""Concurrent writes through the real server (issue 13, point 1): ``gongkai serve`` — gunicorn, 2 workers × 2
threads, persistent connections, as in production — on a fresh database of its own (SQLite in a temporary data
directory; under scripts/with-postgres.sh a fresh PostgreSQL database on that server), hit by many threads at once.

The field report: 3 of 20 citizens applying at once got a 500 "database is locked", and 34 of 50 registrations by
two clerks through the API. Every request must now succeed, the numbers (申请编号, 索引号) must be unique and
gapless, every application must have its audit entry, the rate-limit allowance counts the saved applications,
and the audit log's hash chain (audit/chain.py: each entry takes the chain head write-first) holds.

The server runs in its own processes, so these tests use no pytest-django database: a setup script run with the
server's environment migrates and fills the database, a check script reads it back (both ``python -c``).
"""
from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

ITEMS = 48  # approved catalog items, published at once in the 索引号 test

SETUP = r"""
import json
import django

django.setup()
from django.core.management import call_command

call_command("migrate", interactive=False, verbosity=0)
from gongkai.web.bodies.models import Role
from gongkai.web.bodies.services import body_create, membership_grant, token_create, user_create
from gongkai.web.catalog import services as catalog

district = body_create(name="哈尔滨市南岗区人民政府", short_name="南岗区", kind="government", level="county")
bodies = {key: body_create(name=f"南岗区{name}街道办事处", short_name=name, kind="government", level="township",
                           parent=district, code=code)
          for key, name, code in (("portal", "七政", "12230103MB1234567X"), ("api", "革新", ""),
                                  ("mixed", "花园", ""))}
tokens = []
for i in range(2):
    clerk = user_create(username=f"clerk{i}", password="secret-pass-1")
    for body in bodies.values():
        membership_grant(user=clerk, body=body, role=Role.CLERK)
    tokens.append(token_create(user=clerk))
reviewer = user_create(username="reviewer", password="secret-pass-1")
membership_grant(user=reviewer, body=bodies["portal"], role=Role.REVIEWER)
author = user_create(username="author", password="secret-pass-1")
membership_grant(user=author, body=bodies["portal"], role=Role.CLERK)
items = []
for i in range(ITEMS):
    item = catalog.item_create(body=bodies["portal"], author=author, title=f"七政街道第{i}号通知", text="正文。")
    catalog.item_submit(item=item, actor=author)
    catalog.item_review(item=item, reviewer=reviewer, approve=True, basis="不涉密")
    items.append(item.pk)
print(json.dumps({"bodies": {k: b.pk for k, b in bodies.items()}, "tokens": tokens, "items": items}))
"""

CHECK = r"""
import json
import django

django.setup()
from gongkai.web.applications.models import Application
from gongkai.web.audit.models import AuditEntry
from gongkai.web.audit.selectors import audit_chain_verify
from gongkai.web.catalog.models import Item
from gongkai.web.portal.models import RateCounter

chain = audit_chain_verify()
print(json.dumps({
    "chain": {"ok": chain.ok, "entries": chain.entries, "total": AuditEntry.objects.count(),
              "breaks": [f"{b.seq}: {b.detail}" for b in chain.breaks[:5]]},
    "applications": list(Application.objects.values_list("body_id", "year", "seq", "number", "channel")),
    "registered": list(AuditEntry.objects.filter(action="application.register").values_list("body_id", flat=True)),
    "published": list(AuditEntry.objects.filter(action="catalog.publish").values_list("subject_id", flat=True)),
    "index_nos": list(Item.objects.exclude(index_no="").values_list("pk", "index_no")),
    "rate_counts": sum(RateCounter.objects.values_list("count", flat=True)),
}))
"""


class Server:
    def __init__(self, port: int, env: dict[str, str], ids: dict[str, Any], log: Path) -> None:
        self.port, self.env, self.ids, self.log = port, env, ids, log

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None,
                source: str = "127.0.0.1") -> tuple[int, str, http.client.HTTPResponse]:
        """One request on a fresh connection from ``source`` (any 127.x.y.z: each citizen its own address)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60, source_address=(source, 0))
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, resp.read().decode("utf-8", "replace"), resp
        finally:
            conn.close()

    def check(self) -> dict[str, Any]:
        out = subprocess.run([sys.executable, "-c", CHECK], env=self.env, capture_output=True, text=True, timeout=120,
                             check=False)
        assert out.returncode == 0, out.stderr
        state = json.loads(out.stdout.strip().splitlines()[-1])
        chain = state["chain"]  # the audit hash chain holds after every burst, over every entry
        assert chain["ok"] and chain["entries"] == chain["total"], chain
        return state

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fresh_postgres(url: str, suffix: str = "concurrent") -> tuple[str, Any]:
    """A new database on the PostgreSQL server of ``url`` (the test database stays pytest-django's); returns its
    URL and a function that drops it."""
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    name = f"gongkai_{suffix}_{os.getpid()}"
    admin = {"host": cfg["HOST"], "port": cfg["PORT"] or None, "user": cfg["USER"], "dbname": cfg["NAME"],
             "autocommit": True}
    if cfg.get("PASSWORD"):
        admin["password"] = cfg["PASSWORD"]
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url.rsplit("/", 1)[0] + "/" + name, drop


@pytest.fixture(scope="module")
def server(tmp_path_factory: Any) -> Any:
    tmp = tmp_path_factory.mktemp("concurrent")
    env = {k: v for k, v in os.environ.items() if k not in ("GONGKAI_DB_CONN_MAX_AGE", "DJANGO_SETTINGS_MODULE")}
    env["GONGKAI_DATA_DIR"] = str(tmp)
    env["GONGKAI_LOG_LEVEL"] = "ERROR"
    drop = None
    if env.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        env["DATABASE_URL"], drop = _fresh_postgres(env["DATABASE_URL"])
    else:
        env.pop("DATABASE_URL", None)
    script_env = {**env, "DJANGO_SETTINGS_MODULE": "gongkai.web.settings"}
    out = subprocess.run([sys.executable, "-c", f"ITEMS = {ITEMS}\n" + SETUP], env=script_env, capture_output=True,
                         text=True, timeout=300, check=False)
    assert out.returncode == 0, out.stderr
    ids = json.loads(out.stdout.strip().splitlines()[-1])
    port = _free_port()
    log = tmp / "serve.log"
    gongkai = os.path.join(os.path.dirname(sys.executable), "gongkai")
    with log.open("w") as sink:  # a file, not a pipe: a full pipe would block gunicorn's access log
        proc = subprocess.Popen([gongkai, "serve", "--port", str(port)], env=env, stdout=sink,
                                stderr=subprocess.STDOUT)
    srv = Server(port, script_env, ids, log)
    try:
        for _ in range(300):
            try:
                if srv.request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None, log.read_text(errors="replace")
            time.sleep(0.2)
        else:
            pytest.fail("gongkai serve did not start:\n" + srv.log_tail())
        yield srv
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        if drop is not None:
            drop()


def _run(n: int, work: Any) -> list[Any]:
    """Run ``work(i)`` in ``n`` threads released together; the results in thread order."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def one(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 — a crash in a thread is reported as a result
            results[i] = [("exception", repr(exc))]

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def _assert_all_answered(server: Server, flat: list[tuple[int, str]], status: int) -> None:
    """Every request got ``status`` (the first failures and the server log otherwise)."""
    assert Counter(s for s, _ in flat) == {status: len(flat)}, ([r for r in flat if r[0] != status][:5],
                                                                server.log_tail())


def _assert_saved(server: Server, flat: list[tuple[int, str]], body_id: int, expected: int) -> dict[str, Any]:
    """The body's applications are the ones answered, numbered without gaps, one audit entry each."""
    state = server.check()
    _assert_gapless(state["applications"], body_id, expected)
    assert sorted(n for _, n in flat) == sorted(a[3] for a in state["applications"] if a[0] == body_id)
    assert state["registered"].count(body_id) == expected  # one audit entry per saved application
    return state


def _assert_gapless(apps: list[list[Any]], body_id: int, expected: int) -> None:
    mine = [a for a in apps if a[0] == body_id]
    assert len(mine) == expected
    for year in {a[1] for a in mine}:
        seqs = sorted(a[2] for a in mine if a[1] == year)
        assert seqs == list(range(1, len(seqs) + 1)), f"{year}: numbers not unique and gapless: {seqs}"
    assert len({a[3] for a in mine}) == expected
    assert all(re.fullmatch(r".+〔\d{4}〕依申第\d+号", a[3]) for a in mine)


FORM = {"applicant_type": "natural", "applicant_name": "张某某", "id_type": "居民身份证",
        "id_number": "230103198001011234", "contact_phone": "13900001111", "contact_email": "",
        "contact_address": "哈尔滨市南岗区某街1号", "postcode": "150080",
        "description": "七政街道2025年老旧小区改造项目的批复文件", "requested_form": "electronic", "delivery": "post",
        "website": ""}


def _citizen_forms(srv: Server, body_id: int, n: int, net: int,
                   each: int) -> list[list[tuple[str, dict[str, str]]]]:
    """Each citizen (its own address 127.net.x.y) opens the form ``each`` times (a form token is accepted once):
    per citizen, per submission, the CSRF cookie and the signed form token."""
    out = []
    for i in range(n):
        source = f"127.{net}.{i // 200 + 1}.{i % 200 + 10}"
        forms = []
        for _ in range(each):
            status, html, resp = srv.request("GET", f"/xxgk/{body_id}/ysqgk/apply/", source=source)
            assert status == 200
            cookie = re.search(r"csrftoken=([^;]+)", resp.getheader("Set-Cookie") or "").group(1)
            fields = {"csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1),
                      "token": re.search(r'name="token" value="([^"]+)"', html).group(1)}
            forms.append((source, {"cookie": cookie, **fields}))
        out.append(forms)
    return out


def _post_form(srv: Server, body_id: int, source: str, form: dict[str, str], i: int) -> tuple[int, str]:
    data = {**FORM, "csrfmiddlewaretoken": form["csrfmiddlewaretoken"], "token": form["token"],
            "description": f"{FORM['description']}（第{i}份）"}
    status, html, _ = srv.request("POST", f"/xxgk/{body_id}/ysqgk/apply/", body=urllib.parse.urlencode(data).encode(),
                                  headers={"Content-Type": "application/x-www-form-urlencoded",
                                           "Cookie": f"csrftoken={form['cookie']}"}, source=source)
    number = re.search(r"<dd>([^<]*依申第\d+号)</dd>", html)
    return status, number.group(1) if number else html[:300]


def _post_api(srv: Server, body_id: int, token: str, i: int) -> tuple[int, str]:
    payload = {"body_id": body_id, "channel": "in_person", "submitted_on": time.strftime("%Y-%m-%d"),
               "applicant_type": "natural", "applicant_name": f"申请人{i}", "description": f"第{i}份申请所需的政府信息"}
    status, text, _ = srv.request("POST", "/api/applications/", body=json.dumps(payload).encode(),
                                  headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        return status, json.loads(text).get("number", text)
    except ValueError:
        return status, text[:300]


def test_citizens_apply_at_once_and_none_is_lost(server: Server) -> None:
    """24 citizens, each from its own address, each submitting 3 applications (under the limit of 5), all at once."""
    citizens, each = 24, 3
    body_id = server.ids["bodies"]["portal"]
    forms = _citizen_forms(server, body_id, citizens, net=0, each=each)
    time.sleep(3.2)  # the form token refuses a submission faster than 3 s (portal.services.MIN_SECONDS)
    results = _run(citizens, lambda i: [_post_form(server, body_id, *forms[i][k], i * each + k) for k in range(each)])
    flat = [r for rs in results for r in rs]
    assert len(flat) == citizens * each
    _assert_all_answered(server, flat, 200)
    state = _assert_saved(server, flat, body_id, citizens * each)
    assert state["rate_counts"] == citizens * each  # the allowance counts saved applications


def test_clerks_register_through_the_api_at_once(server: Server) -> None:
    """Two clerks, 16 threads, 64 registrations (the field report: 34 of 50 failed with a 500)."""
    threads, each = 16, 4
    body_id, tokens = server.ids["bodies"]["api"], server.ids["tokens"]
    results = _run(threads, lambda i: [_post_api(server, body_id, tokens[i % 2], i * each + k) for k in range(each)])
    flat = [r for rs in results for r in rs]
    assert len(flat) == threads * each
    _assert_all_answered(server, flat, 201)
    _assert_saved(server, flat, body_id, threads * each)


def test_citizens_and_clerks_on_one_body_at_once(server: Server) -> None:
    """16 citizens on the portal and 16 clerk threads on the API, all on one body's counter at the same time."""
    citizens, clerks, each = 16, 16, 2
    body_id, tokens = server.ids["bodies"]["mixed"], server.ids["tokens"]
    forms = _citizen_forms(server, body_id, citizens, net=1, each=each)  # other addresses than the first test's
    time.sleep(3.2)

    def work(i: int) -> list[tuple[int, str]]:
        if i < citizens:
            return [_post_form(server, body_id, *forms[i][k], i * each + k) for k in range(each)]
        return [_post_api(server, body_id, tokens[i % 2], 1000 + i * each + k) for k in range(each)]

    flat = [r for rs in _run(citizens + clerks, work) for r in rs]
    bad = [r for r in flat if r[0] not in (200, 201)]
    assert not bad, (bad[:5], server.log_tail())
    state = server.check()
    _assert_gapless(state["applications"], body_id, (citizens + clerks) * each)
    assert state["registered"].count(body_id) == (citizens + clerks) * each


def test_items_published_at_once_get_unique_gapless_index_numbers(server: Server) -> None:
    """16 threads publish 48 approved items at once: each gets its own 索引号, numbered 00001 … 00048."""
    threads, items, token = 16, server.ids["items"], server.ids["tokens"][0]

    def work(i: int) -> list[tuple[int, str]]:
        out = []
        for pk in items[i::threads]:
            status, text, _ = server.request("POST", f"/api/catalog/items/{pk}/publish",
                                             headers={"Authorization": f"Bearer {token}"})
            out.append((status, text[:300]))
        return out

    flat = [r for rs in _run(threads, work) for r in rs]
    assert len(flat) == len(items)
    _assert_all_answered(server, flat, 200)
    state = server.check()
    serials = sorted(int(no.rsplit("-", 1)[1]) for pk, no in state["index_nos"] if pk in items)
    assert serials == list(range(1, len(items) + 1))
    assert sorted(int(s) for s in state["published"]) == sorted(items)


# --- the helpers of web/core/db.py, without a server ----------------------------------------------------------

def test_is_transient_tells_passing_failures_from_real_ones() -> None:
    from django.db import IntegrityError, OperationalError

    from gongkai.web.core.db import is_transient

    def pg(exc: Exception, sqlstate: str) -> Exception:
        exc.__cause__ = type("PgError", (Exception,), {"sqlstate": sqlstate})()
        return exc

    assert is_transient(OperationalError("database is locked"))
    assert is_transient(pg(OperationalError("could not serialize access"), "40001"))
    assert is_transient(pg(OperationalError("deadlock detected"), "40P01"))
    assert not is_transient(OperationalError("no such table: applications_application"))
    assert not is_transient(IntegrityError("UNIQUE constraint failed: applications_application.query_code"))
    assert is_transient(IntegrityError("UNIQUE constraint failed: applications_application.query_code"), unique=True)
    assert is_transient(pg(IntegrityError("duplicate key"), "23505"), unique=True)
    assert not is_transient(pg(IntegrityError("violates check constraint"), "23514"), unique=True)


@pytest.mark.django_db(transaction=True)
def test_a_transaction_is_run_again_a_bounded_number_of_times() -> None:
    from django.db import IntegrityError, OperationalError

    from gongkai.web.core import db

    calls: list[int] = []

    def locked_once() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return "saved"

    assert db.run_in_transaction(locked_once) == "saved" and len(calls) == 2

    def always_locked() -> None:
        calls.append(1)
        raise OperationalError("database is locked")

    calls.clear()
    with pytest.raises(OperationalError):
        db.run_in_transaction(always_locked)
    assert len(calls) == db.ATTEMPTS  # never an unbounded loop

    def duplicate() -> None:
        calls.append(1)
        raise IntegrityError("UNIQUE constraint failed: x")

    calls.clear()
    with pytest.raises(IntegrityError):
        db.run_in_transaction(duplicate)  # a real constraint error is not retried unless asked for
    assert len(calls) == 1
    calls.clear()
    with pytest.raises(IntegrityError):
        db.atomic_retry(unique=True)(duplicate)()
    assert len(calls) == db.ATTEMPTS


def test_bump_counts_write_first_and_gives_numbers_back_on_rollback(world: dict[str, Any]) -> None:
    from django.db import transaction

    from gongkai.web.applications.models import NumberCounter
    from gongkai.web.core.db import bump

    key = {"body": world["a"], "year": 2031}
    assert [bump(NumberCounter, key) for _ in range(3)] == [1, 2, 3]
    with pytest.raises(RuntimeError), transaction.atomic():
        assert bump(NumberCounter, key) == 4
        raise RuntimeError("the registration failed")
    assert bump(NumberCounter, key) == 4  # the failed one's number is given back: no gap
    assert bump(NumberCounter, key, by=10) == 14
