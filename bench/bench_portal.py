"""Portal page and catalog search times with a large catalog (default 1,000,000 published items), under concurrent
load on loopback (gunicorn, SQLite), p50/p99 per kind of request; beside two baselines: the server's floor
(``/healthz``, no database) and a naive search (``LIKE '%词%'`` over title and text, the usual first attempt).

    .venv/bin/python bench/bench_portal.py                 # 1,000,000 items (the database is built once, cached)
    .venv/bin/python bench/bench_portal.py --items 50000   # quicker
    options: --concurrency 8 --seconds 20 --workers 2 --threads 2 --cache off|on|both --client python --rebuild

The database lives in ``var/bench-portal-<items>/`` and is reused while its item count matches.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import types
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
PHRASES = (
    "政府信息公开", "老旧小区改造", "最低生活保障", "临时救助", "防汛应急预案", "安全生产检查", "部门预算", "三公经费",
    "政府采购", "行政处罚决定", "城市管理", "网格化管理", "社区网格员", "招聘公告", "拟录用人员", "房屋征收补偿",
    "土地征收", "宅基地审核", "农田水利", "公共服务", "公益事业", "治安管理", "社会救助", "环境保护", "食品安全",
    "疫情防控", "就业创业", "养老服务", "义务教育", "医疗保障", "住房保障", "供热管网", "燃气管道", "道路维修",
    "垃圾分类", "绿化养护", "违法建设", "占道经营", "消防安全", "信访事项", "人大代表建议", "政协提案", "政策解读",
    "财政决算", "审计整改", "统计公报", "规划计划", "重大建设项目", "监督检查", "应急物资储备", "基层治理",
)
VERBS = ("关于", "做好", "加强", "推进", "开展", "落实", "印发", "公布", "公示", "通知")
SUFFIX = ("的通知", "的公告", "实施方案", "工作要点", "情况公示", "工作总结", "管理办法", "实施细则", "结果公示", "说明")
CATEGORIES = ("duties", "documents", "plans", "statistics", "licensing", "penalty", "finance", "fees", "procurement",
              "projects", "welfare", "emergency", "inspection", "personnel", "other")
QUERIES = {  # kind -> queries
    "search 2 chars": ["防汛", "预算", "救助", "征收", "招聘", "供热"],
    "search 3+ chars": ["老旧小区改造", "最低生活保障", "宅基地审核", "房屋征收补偿", "社区网格员", "三公经费"],
    "search 2 words": ["预算 三公经费", "防汛 应急物资储备", "招聘 拟录用人员"],
    "search + body filter": ["政府信息公开", "安全生产检查"],
}


def log(msg: str) -> None:
    print(msg, flush=True)


# --- building the database ----------------------------------------------------------------------
def setup_django(data_dir: Path) -> None:
    os.environ["GONGKAI_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.web.settings"
    import django

    django.setup()


def build(data_dir: Path, n_items: int, n_bodies: int, seed: int = 7) -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from gongkai.web.bodies.models import Body
    from gongkai.web.catalog.search import BIGRAM_TABLE, FTS_TABLE, index_rows

    User = get_user_model()
    author = User.objects.create(username="bench-author")
    reviewer = User.objects.create(username="bench-reviewer")
    root = Body.objects.create(name="某市人民政府", short_name="某市", kind="government", level="prefecture")
    root.path = f"/{root.pk}/"
    root.save()
    bodies = []
    for i in range(n_bodies):
        b = Body.objects.create(name=f"某市某区第{i + 1}街道办事处", short_name=f"街{i + 1}", kind="government",
                                level="township", parent=root, code=f"{100000000 + i}")
        b.path = f"{root.path}{b.pk}/"
        b.save()
        bodies.append(b)
    rng = random.Random(seed)
    start = time.perf_counter()
    cur = connection.cursor().cursor  # the raw sqlite3 cursor: executemany without Django's per-row work
    cur.execute("PRAGMA synchronous=OFF")
    cur.execute("PRAGMA cache_size=-400000")
    for table in (FTS_TABLE, BIGRAM_TABLE):  # merge segments once at the end, not while loading
        cur.execute(f"INSERT INTO {table}({table}, rank) VALUES ('automerge', 0)")
    cols = ("id", "body_id", "title", "doc_number", "issuer", "subject", "category", "local_category", "disclosure",
            "withheld_reason", "doc_kind", "validity", "keywords", "summary", "text", "state", "author_id",
            "internal_note", "approved_by_id", "index_no", "published_at", "created_at", "updated_at", "written_on")
    sql = f"INSERT INTO catalog_item ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    fts_sql = f"INSERT INTO {FTS_TABLE}(rowid, title, doc_number, index_no, content, tags) VALUES (?, ?, ?, ?, ?, ?)"
    big_sql = f"INSERT INTO {BIGRAM_TABLE}(rowid, grams) VALUES (?, ?)"
    serial: dict[tuple[int, int], int] = {}
    batch, fts_batch, big_batch = [], [], []
    import datetime as dt

    base = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
    span = int((dt.datetime(2026, 11, 1, tzinfo=dt.UTC) - base).total_seconds())
    for i in range(1, n_items + 1):
        body = bodies[rng.randrange(n_bodies)]
        when = base + dt.timedelta(seconds=int(span * i / n_items))  # ids grow with time, as in real life
        year = when.year
        serial[(body.pk, year)] = serial.get((body.pk, year), 0) + 1
        index_no = f"{body.code}/{year}-{serial[(body.pk, year)]:05d}"
        p = rng.sample(PHRASES, 4)
        title = f"{body.short_name}{rng.choice(VERBS)}{year}年{p[0]}{rng.choice(SUFFIX)}"
        text = (f"为{p[1]}，结合{body.short_name}实际，现就{p[0]}有关事项{rng.choice(SUFFIX)}如下。"
                f"一、{p[2]}工作由各社区负责落实。二、{p[3]}情况按季度报送。")
        cat = CATEGORIES[rng.randrange(len(CATEGORIES))]
        docno = f"街{body.pk}发〔{year}〕{serial[(body.pk, year)]}号" if cat == "documents" else ""
        ts = when.isoformat(sep=" ")
        batch.append((i, body.pk, title, docno, body.name, "综合政务\\政务公开", cat, "", "proactive", "", "", "",
                      p[0], text[:60], text, "published", author.pk, "", reviewer.pk, index_no, ts, ts, ts,
                      when.date().isoformat()))
        item = types.SimpleNamespace(pk=i, title=title, doc_number=docno, index_no=index_no, keywords=p[0],
                                     summary=text[:60], text=text, body_id=body.pk, category=cat, published_at=when)
        fts_row, big_row = index_rows(item)  # the very rows the services write
        fts_batch.append(fts_row)
        big_batch.append(big_row)
        if len(batch) == 20000 or i == n_items:
            cur.executemany(sql, batch)
            cur.executemany(fts_sql, fts_batch)
            cur.executemany(big_sql, big_batch)
            connection.connection.commit()
            batch, fts_batch, big_batch = [], [], []
            if i % 100000 == 0 or i == n_items:
                log(f"  {i:>9,} items  {time.perf_counter() - start:6.0f} s")
    for (body_id, year), last in serial.items():
        cur.execute("INSERT INTO catalog_indexserial (body_id, year, last) VALUES (?, ?, ?)", (body_id, year, last))
    for table in (FTS_TABLE, BIGRAM_TABLE):
        cur.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
        cur.execute(f"INSERT INTO {table}({table}, rank) VALUES ('automerge', 4)")
    cur.execute("ANALYZE")
    connection.connection.commit()
    (data_dir / "items.txt").write_text(str(n_items))
    log(f"  built in {time.perf_counter() - start:.0f} s; database {(data_dir / 'gongkai.sqlite3').stat().st_size / 1e9:.2f} GB")


# --- load ---------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(data_dir: Path, port: int, workers: int, threads: int, *, cache: bool) -> subprocess.Popen[bytes]:
    env = {**os.environ, "GONGKAI_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "gongkai.web.settings",
           "GONGKAI_PORTAL_CACHE_PAGES": "5000" if cache else "0"}
    proc = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "gongkai.web.wsgi:application",
                             "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
                             "--worker-class", "gthread", "--log-level", "warning"], env=env, cwd=ROOT,
                            start_new_session=True)
    for _ in range(100):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def load(port: int, urls: list[str], *, concurrency: int, seconds: float) -> tuple[list[float], int]:
    """Each of ``concurrency`` clients requests URLs from ``urls`` in turn (keep-alive) for ``seconds``."""
    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(k: int) -> None:
        nonlocal errors
        rng = random.Random(k)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad = [], 0
        while time.perf_counter() < stop:
            url = rng.choice(urls)
            t0 = time.perf_counter()
            try:
                conn.request("GET", url)
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
            except (OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            mine.append(time.perf_counter() - t0)
            bad += not ok
        with lock:
            times.extend(mine)
            errors += bad

    ts = [threading.Thread(target=client, args=(k,)) for k in range(concurrency)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return times, errors


WRK_SCRIPT = r"""
local paths = {}
for line in io.lines(os.getenv("GONGKAI_BENCH_URLS")) do paths[#paths + 1] = line end
local n = 0
function setup(thread) n = n + 1; thread:set("seed", n) end
function init(args) math.randomseed(seed * 7919) end
function request() return wrk.format("GET", paths[math.random(#paths)]) end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("GONGKAI %d %.3f %.3f %d\n", summary.requests, latency:percentile(50) / 1000,
                         latency:percentile(99) / 1000, e.connect + e.read + e.write + e.timeout + e.status))
end
"""


def load_wrk(port: int, urls: list[str], *, concurrency: int, seconds: float, workdir: Path
             ) -> tuple[int, float, float, int]:
    """The same closed loop driven by ``wrk`` (C, a separate process): requests, p50 ms, p99 ms, errors.

    The Python client above spends CPU and GIL time of its own on this 2-core machine, which ends up in the
    figures; wrk measures the server, not the client."""
    (workdir / "urls.txt").write_text("\n".join(urls) + "\n")
    (workdir / "load.lua").write_text(WRK_SCRIPT)
    out = subprocess.run(["wrk", "-t", str(min(2, concurrency)), "-c", str(concurrency), "-d", f"{seconds:g}s",
                          "--timeout", "30s", "-s", str(workdir / "load.lua"), f"http://127.0.0.1:{port}"],
                         env={**os.environ, "GONGKAI_BENCH_URLS": str(workdir / "urls.txt")},
                         capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("GONGKAI "))
    n, p50, p99, errors = line.split()[1:]
    return int(n), float(p50), float(p99), int(errors)


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))] * 1000


def machine_speed() -> float:
    """Seconds for 10 million additions in a Python loop: how fast this (shared, virtual) machine is right now."""
    t0 = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - t0


def naive_search(data_dir: Path, query: str) -> float:
    """The baseline: a LIKE scan over title and text of the items table, newest first, 20 results."""
    import sqlite3

    db = sqlite3.connect(data_dir / "gongkai.sqlite3")
    t0 = time.perf_counter()
    db.execute("SELECT id FROM catalog_item WHERE state='published' AND (title LIKE ? OR text LIKE ?) "
               "ORDER BY published_at DESC LIMIT 20", (f"%{query}%", f"%{query}%")).fetchall()
    db.execute("SELECT count(*) FROM catalog_item WHERE state='published' AND (title LIKE ? OR text LIKE ?)",
               (f"%{query}%", f"%{query}%")).fetchall()
    db.close()
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=1_000_000)
    ap.add_argument("--bodies", type=int, default=200)
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)  # as `gongkai serve` runs it
    ap.add_argument("--client", choices=("wrk", "python"), default="wrk",
                    help="load generator (wrk when installed; python: threads in this process)")
    ap.add_argument("--cache", choices=("off", "on", "both"), default="both",
                    help="the public page cache: off (every request renders), on, or both runs")
    ap.add_argument("--only", default="", help="run only the request kinds whose name contains this")
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--build-only", action="store_true")
    args = ap.parse_args()
    data_dir = ROOT / "var" / f"bench-portal-{args.items}"
    marker = data_dir / "items.txt"
    if args.rebuild or not marker.exists() or marker.read_text() != str(args.items):
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        log(f"building a catalog of {args.items:,} published items in {data_dir} …")
        setup_django(data_dir)
        build(data_dir, args.items, args.bodies)
    else:  # bring a cached database's schema up to date (new tables, triggers); the data stays
        subprocess.run([str(Path(sys.executable).with_name("gongkai")), "manage", "migrate", "-v", "0"], check=True,
                       cwd=ROOT, env={**os.environ, "GONGKAI_DATA_DIR": str(data_dir)})
    if args.build_only:
        return
    import sqlite3

    db = sqlite3.connect(data_dir / "gongkai.sqlite3")
    rng = random.Random(1)
    max_id = db.execute("SELECT max(id) FROM catalog_item").fetchone()[0]
    sample = [db.execute("SELECT index_no, body_id FROM catalog_item WHERE id=?", (rng.randint(1, max_id),)).fetchone()
              for _ in range(2000)]
    bodies = sorted({b for _, b in sample})
    db.close()
    kinds: dict[str, list[str]] = {
        "healthz (floor)": ["/healthz"],
        "item page": [f"/xxgk/item/{quote(ix)}/" for ix, _ in sample],
        "catalog page": [f"/xxgk/{b}/fdzdgknr/?category={rng.choice(CATEGORIES)}&page={rng.randint(1, 5)}"
                         for b in bodies],
    }
    for kind, queries in QUERIES.items():
        kinds[kind] = [f"/search/?{urlencode({'q': q, **({'body': rng.choice(bodies)} if 'body' in kind else {})})}"
                       for q in queries for _ in range(3)]
    kinds = {k: v for k, v in kinds.items() if args.only in k or k.startswith("healthz")}
    use_wrk = shutil.which("wrk") is not None and args.client != "python"
    log(f"\n{args.items:,} items, {len(bodies)} bodies sampled; gunicorn {args.workers} workers × {args.threads} "
        f"threads; closed-loop clients on loopback; SQLite {sqlite3.sqlite_version}; {os.cpu_count()} cores; "
        f"load generator: {'wrk (a separate C process)' if use_wrk else 'Python threads in this process'}")
    log(f"machine speed now: {machine_speed():.2f} s for 10 million Python additions (the machine is shared; "
        f"compare runs only at similar speeds)")
    for cache in {"off": [False], "on": [True], "both": [False, True]}[args.cache]:
        log("\n== page cache " + ("ON: repeated pages and queries are served from it while public data is unchanged"
                                   if cache else "OFF: every request renders its page (the cost of a cache miss)"))
        port = free_port()
        proc = serve(data_dir, port, args.workers, args.threads, cache=cache)
        try:
            for urls in kinds.values():  # warm-up: connections, SQLite pages (and, with the cache, cached pages)
                load(port, urls, concurrency=2, seconds=2)
            log(f"load average before: {os.getloadavg()[0]:.1f}")
            for conc in args.concurrency:
                log(f"\n{conc} concurrent client(s)")
                log(f"{'request':<22}{'n':>7}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
                for kind, urls in kinds.items():
                    if use_wrk:
                        n, p50, p99, errors = load_wrk(port, urls, concurrency=conc, seconds=args.seconds,
                                                       workdir=data_dir)
                    else:
                        times, errors = load(port, urls, concurrency=conc, seconds=args.seconds)
                        n, p50, p99 = len(times), pct(times, .5), pct(times, .99)
                    log(f"{kind:<22}{n:>7}{n / args.seconds:>8.0f}{p50:>9.1f}{p99:>9.1f}{errors:>8}")
            log(f"load average after: {os.getloadavg()[0]:.1f}")
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
    log("\nbaseline: naive LIKE search (one client, no server), ms per query (first 20 + count):")
    for q in ("防汛", "老旧小区改造", "宅基地审核"):
        runs = [naive_search(data_dir, q) for _ in range(3)]
        log(f"  {q:<10} median {statistics.median(runs):8.1f} ms")


if __name__ == "__main__":
    main()
