"""kill -9 in the middle of a write burst, then a restart (issue 13): the real server (``gongkai serve``:
gunicorn, 2 workers × 2 threads) on a fresh database, 12 threads registering applications through the API as fast
as they can; the whole server (master and workers) is killed with SIGKILL while they write, then started again.

Afterwards: the SQLite file passes ``PRAGMA integrity_check`` and ``foreign_key_check``; no case is half-written
(every application has its number, its 收到申请 event and its audit entry, and every event and registration
entry belongs to an application); the numbers are gapless and the counter stands at the last one; the audit
chain verifies; every request that was answered 2xx is in the database. Writes after the restart continue the
numbering. Under scripts/with-postgres.sh the same on a fresh PostgreSQL database (without the SQLite pragmas)."""
from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from .test_concurrent_writes import _free_port, _fresh_postgres

pytestmark = pytest.mark.slow

SETUP = r"""
import json
import django

django.setup()
from django.core.management import call_command

call_command("migrate", interactive=False, verbosity=0)
from gongkai.web.bodies.models import Role
from gongkai.web.bodies.services import body_create, membership_grant, token_create, user_create

body = body_create(name="南岗区七政街道办事处", short_name="七政", kind="government", level="township")
tokens = []
for i in range(2):
    clerk = user_create(username=f"clerk{i}", password="secret-pass-1")
    membership_grant(user=clerk, body=body, role=Role.CLERK)
    tokens.append(token_create(user=clerk))
print(json.dumps({"body": body.pk, "tokens": tokens}))
"""

CHECK = r"""
import json
import django

django.setup()
from django.db import connection
from gongkai.web.applications.models import Application, CaseEvent, NumberCounter
from gongkai.web.audit.models import AuditEntry
from gongkai.web.audit.selectors import audit_chain_verify

pragmas = {}
if connection.vendor == "sqlite":
    with connection.cursor() as cur:
        cur.execute("PRAGMA integrity_check")
        pragmas["integrity"] = [r[0] for r in cur.fetchall()]
        cur.execute("PRAGMA foreign_key_check")
        pragmas["foreign_keys"] = [list(r) for r in cur.fetchall()]
apps = list(Application.objects.values_list("pk", "body_id", "year", "seq", "number"))
chain = audit_chain_verify()
print(json.dumps({
    "pragmas": pragmas,
    "applications": apps,
    "received": list(CaseEvent.objects.filter(kind="received").values_list("application_id", flat=True)),
    "events_orphaned": CaseEvent.objects.exclude(application_id__in=[a[0] for a in apps]).count(),
    "registered": list(AuditEntry.objects.filter(action="application.register").values_list("subject_id", flat=True)),
    "counters": list(NumberCounter.objects.values_list("body_id", "year", "last")),
    "chain": {"ok": chain.ok, "entries": chain.entries, "total": AuditEntry.objects.count(),
              "breaks": [f"{b.seq}: {b.detail}" for b in chain.breaks[:5]]},
}))
"""


class Server:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log, self.port, self.proc = env, log, _free_port(), None

    def start(self) -> None:
        gongkai = os.path.join(os.path.dirname(sys.executable), "gongkai")
        with self.log.open("a") as sink:
            # its own process group: SIGKILL reaches the gunicorn master and every worker at once
            self.proc = subprocess.Popen([gongkai, "serve", "--port", str(self.port)], env=self.env, stdout=sink,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        for _ in range(300):
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            assert self.proc.poll() is None, self.log.read_text(errors="replace")[-3000:]
            time.sleep(0.2)
        pytest.fail("gongkai serve did not start:\n" + self.log.read_text(errors="replace")[-3000:])

    def kill9(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=20)
        time.sleep(0.5)  # the workers die with the group; let the kernel reap them

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)

    def request(self, method: str, path: str, *, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, resp.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def register(self, body_id: int, token: str, i: int) -> tuple[int, str]:
        payload = {"body_id": body_id, "channel": "in_person", "submitted_on": time.strftime("%Y-%m-%d"),
                   "applicant_type": "natural", "applicant_name": f"申请人{i}", "description": f"第{i}份申请所需的政府信息"}
        status, text = self.request("POST", "/api/applications/", body=json.dumps(payload).encode(),
                                    headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        try:
            return status, json.loads(text).get("number", text)
        except ValueError:
            return status, text[:300]


def _python(env: dict[str, str], code: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-c", code], env={**env, "DJANGO_SETTINGS_MODULE": "gongkai.web.settings"},
                         capture_output=True, text=True, timeout=300, check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _burst(server: Server, body_id: int, tokens: list[str], threads: int,
           stop: threading.Event) -> tuple[list[threading.Thread], list[Any]]:
    """``threads`` clients registering until ``stop``; every answer (status, number) or the error of each try."""
    results: list[Any] = []
    lock = threading.Lock()

    def client(t: int) -> None:
        i = 0
        while not stop.is_set():
            try:
                result: Any = server.register(body_id, tokens[t % 2], t * 100000 + i)
            except OSError as exc:  # the server died under this request: no answer, and no server to ask
                with lock:
                    results.append(("no answer", repr(exc)))
                return
            with lock:
                results.append(result)
            i += 1

    workers = [threading.Thread(target=client, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    return workers, results


def test_kill_9_during_a_write_burst_loses_nothing_answered_and_leaves_nothing_half_written(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("GONGKAI_DB_CONN_MAX_AGE", "DJANGO_SETTINGS_MODULE")}
    env["GONGKAI_DATA_DIR"] = str(tmp_path)
    env["GONGKAI_LOG_LEVEL"] = "ERROR"
    drop = None
    if env.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        env["DATABASE_URL"], drop = _fresh_postgres(env["DATABASE_URL"], suffix="crash")
    else:
        env.pop("DATABASE_URL", None)
    server = Server(env, tmp_path / "serve.log")
    try:
        ids = _python(env, SETUP)
        server.start()
        stop = threading.Event()
        workers, results = _burst(server, ids["body"], ids["tokens"], 12, stop)
        deadline = time.monotonic() + 60
        while sum(1 for r in results if r[0] == 201) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.kill9()  # mid-burst: the clients are still sending
        stop.set()
        for w in workers:
            w.join(timeout=60)
        answered = [n for s, n in results if s == 201]
        unanswered = [r for r in results if r[0] == "no answer"]
        failed = [r for r in results if r[0] not in (201, "no answer")]
        assert len(answered) >= 40 and not failed, (failed[:5], server.log.read_text(errors="replace")[-3000:])

        server.start()  # the same data directory, after the crash
        after = [server.register(ids["body"], ids["tokens"][0], 900000 + i) for i in range(3)]
        assert [s for s, _ in after] == [201, 201, 201], after
        state = _python(env, CHECK)
    finally:
        server.stop()
        if drop is not None:
            drop()

    if state["pragmas"]:
        assert state["pragmas"] == {"integrity": ["ok"], "foreign_keys": []}
    apps = state["applications"]
    numbers = {a[4] for a in apps}
    # every request answered 2xx is in the database, before and after the restart
    assert set(answered) | {n for _, n in after} <= numbers
    # a request cut off by the kill was saved whole or not at all; at most one per client was in flight
    assert 0 <= len(apps) - len(answered) - len(after) <= min(12, len(unanswered))
    # nothing half-written: every application has its 收到申请 event and its audit entry, and nothing else is left
    pks = sorted(a[0] for a in apps)
    assert sorted(state["received"]) == pks
    assert sorted(int(s) for s in state["registered"]) == pks
    assert state["events_orphaned"] == 0
    # numbers gapless, and the counter at the last one (a rolled-back registration gave its number back)
    seqs = sorted(a[3] for a in apps)
    assert seqs == list(range(1, len(apps) + 1)) and len(numbers) == len(apps)
    assert state["counters"] == [[ids["body"], apps[0][2], len(apps)]]
    chain = state["chain"]
    assert chain["ok"] and chain["entries"] == chain["total"], chain
