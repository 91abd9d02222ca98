"""Concurrent writes (issue 13): many writers at once on loopback against `gongkai serve` (gunicorn, 2 workers ×
2 threads by default), counting failed requests and checking that nothing submitted is lost; beside two
baselines: the server's floor (the trivial /healthz at the same concurrency) and one writer alone (the cost of a
registration without contention).

    .venv/bin/python bench/bench_writes.py            # SQLite, then PostgreSQL via scripts/with-postgres.sh
    .venv/bin/python bench/bench_writes.py --here     # only the database of DATABASE_URL (or SQLite)

Data: the demo (bodies, users, a year of applications). Loads, each GONGKAI_BENCH_SECONDS (default 8) with
GONGKAI_BENCH_CLIENTS writer threads (default 32):
  * clerks registering applications through the API (POST /api/applications/, Bearer token, keep-alive);
  * citizens submitting the public application form, each request from its own loopback address (127.2.x.y, so
    that the rate limit of 5 per address and hour does not refuse them) on a new connection;
  * both at once on the same body (half the threads each): one counter of 申请编号 for all.
After each load the database is read back: every 2xx must be an application with its audit entry, and the
numbers of the body and year must be 1 … n without a gap. Before the fix (commit b35964e), on SQLite on the
2-core development machine, 675 of 1,009 clerk registrations, 141 of 608 citizen submissions and 414 of 809 mixed
writes failed with a 500 "database is locked" (ok 40, 56 and 47 writes/s); after it none failed (ok 103, 142 and
121 writes/s).
"""
from __future__ import annotations

import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from itertools import count

from _common import demo_database, demo_token, sqlite_then_postgres

CLIENTS = int(os.environ.get("GONGKAI_BENCH_CLIENTS", "32"))
SECONDS = float(os.environ.get("GONGKAI_BENCH_SECONDS", "8"))
FORM = {"applicant_type": "natural", "applicant_name": "张某某", "id_type": "居民身份证",
        "id_number": "230103198001011234", "contact_phone": "13900001111", "contact_email": "",
        "contact_address": "哈尔滨市南岗区某街1号", "postcode": "150080", "requested_form": "electronic",
        "delivery": "post", "website": ""}


def _prepare() -> tuple[str, int]:
    body = demo_database("gongkai-bench-writes-")
    return demo_token("dengji"), body.pk


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Load:
    """``clients`` threads calling ``send(k, i)`` (thread k, request i) for ``SECONDS``: elapsed time, the
    latencies of the good (2xx) requests, how many were good and how many failed."""

    def __init__(self, port: int) -> None:
        self.port = port

    def run(self, clients: int, send: Callable[[int, int], int]) -> tuple[float, list[float], int, int]:
        latencies: list[float] = []
        counts = {"good": 0, "bad": 0}
        lock = threading.Lock()
        serial = count()
        stop = time.perf_counter() + SECONDS

        def client(k: int) -> None:
            mine: list[float] = []
            good = bad = 0
            while time.perf_counter() < stop:
                i = next(serial)
                t0 = time.perf_counter()
                try:
                    ok = 200 <= send(k, i) < 300
                except (OSError, http.client.HTTPException):
                    ok = False
                if ok:
                    good += 1
                    mine.append(time.perf_counter() - t0)
                else:
                    bad += 1
            with lock:
                latencies.extend(mine)
                counts["good"] += good
                counts["bad"] += bad

        threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.perf_counter() - t0, latencies, counts["good"], counts["bad"]


def _conn(port: int, source: str = "127.0.0.1") -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))


def run_here() -> None:
    token, body_id = _prepare()
    from django.db import connection
    from django.utils import timezone

    from gongkai.web.applications.models import Application
    from gongkai.web.audit.models import AuditEntry

    vendor = connection.vendor
    port = _free_port()
    log = open(os.path.join(os.environ["GONGKAI_DATA_DIR"], "serve.log"), "w")  # noqa: SIM115 — kept open for the server
    gongkai = os.path.join(os.path.dirname(sys.executable), "gongkai")
    server = subprocess.Popen([gongkai, "serve", "--port", str(port)], env=os.environ.copy(), stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            try:
                c = _conn(port)
                c.request("GET", "/healthz")
                c.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        load = Load(port)
        keep: dict[int, http.client.HTTPConnection] = {}

        def kept(k: int, method: str, path: str, **kw: object) -> int:
            """One request on client k's kept-alive connection (dropped on a failure, reopened next time)."""
            conn = keep.setdefault(k, _conn(port))
            try:
                conn.request(method, path, **kw)  # type: ignore[arg-type]
                r = conn.getresponse()
                r.read()
                return r.status
            except (OSError, http.client.HTTPException):
                keep.pop(k).close()
                raise

        def healthz(k: int, i: int) -> int:
            return kept(k, "GET", "/healthz")

        today = timezone.localdate().isoformat()

        def clerk(k: int, i: int) -> int:
            payload = {"body_id": body_id, "channel": "in_person", "submitted_on": today, "applicant_type": "natural",
                       "applicant_name": f"申请人{i}", "description": f"压力测试第{i}份申请所需的政府信息"}
            return kept(k, "POST", "/api/applications/", body=json.dumps(payload).encode(),
                        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})

        # a citizen's form: the CSRF cookie, not tied to an address; the signed form token is accepted once, so each
        # submission gets its own, signed here with the server's key (the same data directory)
        c = _conn(port)
        c.request("GET", f"/xxgk/{body_id}/ysqgk/apply/")
        r = c.getresponse()
        html = r.read().decode()
        cookie = re.search(r"csrftoken=([^;]+)", r.getheader("Set-Cookie") or "").group(1)
        form = {**FORM, "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1),
                "token": re.search(r'name="token" value="([^"]+)"', html).group(1)}
        from gongkai.web.portal.services import form_token

        addresses = count()

        def citizen(k: int, i: int) -> int:
            n = next(addresses)
            conn = _conn(port, f"127.2.{n // 250 % 250}.{n % 250 + 1}")
            try:
                body = urllib.parse.urlencode({**form, "token": form_token(now=time.time() - 30),
                                               "description": f"压力测试第{i}份申请：所需政府信息的名称"}).encode()
                conn.request("POST", f"/xxgk/{body_id}/ysqgk/apply/", body=body,
                             headers={"Content-Type": "application/x-www-form-urlencoded",
                                      "Cookie": f"csrftoken={cookie}"})
                r = conn.getresponse()
                r.read()
                return r.status
            finally:
                conn.close()

        def mixed(k: int, i: int) -> int:
            return citizen(k, i) if k % 2 else clerk(k, i)

        load.run(CLIENTS, healthz)  # warm-up (workers, connections)
        print(f"[{vendor}] gongkai serve (gunicorn 2 workers × 2 threads), {SECONDS:.0f} s per load")
        print(f"  {'load':44s} {'req/s':>9s} {'p50 ms':>8s} {'p99 ms':>8s} {'ok':>6s} {'failed':>7s} "
              f"{'lost':>5s} {'numbers':>8s}")
        for label, clients, send, writes in (
                ("baseline /healthz (no write)", CLIENTS, healthz, False),
                ("baseline one clerk, API register", 1, clerk, True),
                (f"{CLIENTS} clerks, API register", CLIENTS, clerk, True),
                (f"{CLIENTS} citizens, portal form", CLIENTS, citizen, True),
                (f"{CLIENTS // 2} clerks + {CLIENTS // 2} citizens, one body", CLIENTS, mixed, True)):
            apps0 = Application.objects.filter(body_id=body_id).count()
            audit0 = AuditEntry.objects.filter(action="application.register", body_id=body_id).count()
            elapsed, lat, good, bad = load.run(clients, send)
            for conn in keep.values():
                conn.close()
            keep.clear()
            lat.sort()
            p50 = statistics.median(lat) * 1000 if lat else float("nan")
            p99 = lat[max(0, int(len(lat) * 0.99) - 1)] * 1000 if lat else float("nan")
            lost, numbers = "", ""
            if writes:
                saved = Application.objects.filter(body_id=body_id).count() - apps0
                audited = AuditEntry.objects.filter(action="application.register", body_id=body_id).count() - audit0
                lost = str(good - saved) if audited == saved else f"audit {audited}≠{saved}"
                seqs = sorted(Application.objects.filter(body_id=body_id, year=timezone.localdate().year)
                              .values_list("seq", flat=True))
                numbers = "gapless" if seqs == list(range(1, len(seqs) + 1)) else "GAPS"
            print(f"  {label:44s} {good / elapsed:9.0f} {p50:8.1f} {p99:8.1f} {good:6d} {bad:7d} {lost:>5s} "
                  f"{numbers:>8s}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


if __name__ == "__main__":
    sqlite_then_postgres(__file__, run_here, prefix="gongkai-bench-writes-")
