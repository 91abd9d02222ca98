"""API throughput and latency for the case list under concurrent load, on loopback, against gunicorn
(2 workers × 2 threads, as `gongkai serve` runs it), beside a baseline of the trivial /healthz endpoint.

    .venv/bin/python bench/bench_api.py            # SQLite, then PostgreSQL via scripts/with-postgres.sh
    .venv/bin/python bench/bench_api.py --here     # only the database of DATABASE_URL (or SQLite)

Data: the demo (bodies, users, a year of applications) plus 20,000 synthetic applications of 七政街道.
The load generator: GONGKAI_BENCH_CLIENTS threads (default 16) with keep-alive connections, each request
authenticated with a Bearer token, for GONGKAI_BENCH_SECONDS (default 8) per endpoint.
"""
from __future__ import annotations

import datetime as dt
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time

from _common import demo_database, demo_token, sqlite_then_postgres

CLIENTS = int(os.environ.get("GONGKAI_BENCH_CLIENTS", "16"))
SECONDS = float(os.environ.get("GONGKAI_BENCH_SECONDS", "8"))


def _prepare() -> str:
    body = demo_database("gongkai-bench-api-")
    from gongkai.web.core.synthetic import bulk_ledger

    today = dt.date.today()
    bulk_ledger(body=body, n=20000, start=today - dt.timedelta(days=3 * 365), end=today, seed=5)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return demo_token("shenhe")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _load(port: int, path: str, token: str) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + SECONDS

    def client() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
                r = conn.getresponse()
                r.read()
                if r.status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, latencies, errors


def run_here() -> None:
    token = _prepare()
    from django.db import connection

    vendor = connection.vendor
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "gongkai.web.wsgi:application", "--bind",
                               f"127.0.0.1:{port}", "--workers", "2", "--threads", "2", "--log-level", "warning", "--no-control-socket"],
                              env=os.environ.copy())
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        _load(port, "/api/applications/?limit=20", token)  # warm-up
        print(f"[{vendor}] gunicorn 2 workers × 2 threads, {CLIENTS} clients, {SECONDS:.0f} s each")
        for label, path in (("baseline /healthz", "/healthz"),
                            ("case list /api/applications/?limit=20", "/api/applications/?limit=20"),
                            ("filtered list ?status=open&due=overdue", "/api/applications/?status=open&due=overdue&limit=20"),
                            ("case detail /api/applications/1", "/api/applications/1")):
            elapsed, lat, errors = _load(port, path, token)
            lat.sort()
            p99 = lat[int(len(lat) * 0.99) - 1] * 1000 if lat else float("nan")
            print(f"  {label:42s} {len(lat) / elapsed:7.0f} req/s   p50 {statistics.median(lat) * 1000:6.1f} ms   "
                  f"p99 {p99:6.1f} ms   errors {errors}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sqlite_then_postgres(__file__, run_here, prefix="gongkai-bench-api-")
