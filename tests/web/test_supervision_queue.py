"""The supervision's reading queue (supervision/queue.py): an upload is stored as 待读取 in one quick transaction —
nothing is read nor fetched in the request — and a worker reads it later; claims are taken once, by one worker, even
when workers race (threads; run on PostgreSQL too: scripts/with-postgres.sh); a dead worker's claim is taken again
after the timeout, at most MAX_ATTEMPTS times; a report that breaks the reading fails alone; the web process's own
thread drains the queue after the upload commits; the batch page shows the progress and polls while work remains."""
from __future__ import annotations

import datetime as dt
import io
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongkai.web.audit.models import AuditEntry
from gongkai.web.supervision import fetch, queue
from gongkai.web.supervision import services as sv
from gongkai.web.supervision.models import Batch, Submission, SubmissionState, Upload
from gongkai.web.supervision.reading import Read

DEV = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "dev"  # ../shared beside the repository
if not DEV.is_dir():
    DEV = Path("/work/shared/corpus/dev")
PINGTAN = (DEV / "pingtan-2024.txt").read_bytes()


def _zip(**members: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.fixture
def office(world):
    from gongkai.web.bodies.services import body_create

    d = world["district"]
    body_create(name="平潭综合实验区", short_name="平潭", kind="government", level="county", parent=d)
    return d


class FakeResponse:
    def __init__(self, data: bytes) -> None:
        self.status, self.headers, self._data = 200, {"Content-Type": "text/plain"}, data

    def stream(self, n: int):
        yield self._data

    def release_conn(self) -> None:
        pass


def test_upload_stores_pending_and_the_worker_reads_it_later(office, world, client, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(fetch, "system_resolve", lambda host, port: ["93.184.216.34"])
    monkeypatch.setattr(fetch, "_open", lambda target, left: opened.append(target.path) or FakeResponse(PINGTAN))
    read_in_request = []
    monkeypatch.setattr(queue, "read_report", lambda *a: read_in_request.append(a) or pytest.fail("read in request"))
    client.force_login(world["users"]["supervisor"])
    members = {f"{i:02d}.txt": PINGTAN for i in range(12)} | {"junk.txt": "这不是年度报告".encode()}
    t = time.perf_counter()
    r = client.post("/staff/supervision/upload/", {
        "office": office.pk, "year": 2024, "urls": "https://www.example.gov.cn/nb/2024.txt",
        "files": SimpleUploadedFile("reports.zip", _zip(**members), "application/zip")})
    elapsed = time.perf_counter() - t
    batch = Batch.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/staff/supervision/{batch.pk}/"
    assert elapsed < 5, elapsed  # 13 files and a URL, none read: a fraction of a second (reading them: ~10 s)
    subs = list(batch.submissions.all())
    assert len(subs) == 14 and {s.state for s in subs} == {SubmissionState.PENDING}
    assert Upload.objects.filter(submission__batch=batch).count() == 13 and not opened and not read_in_request
    url_sub = batch.submissions.get(url="https://www.example.gov.cn/nb/2024.txt")
    assert not hasattr(url_sub, "upload")
    assert AuditEntry.objects.filter(action="supervision.upload", subject_id=str(batch.pk)).count() == 1
    assert batch.read_at is None

    page = client.get(f"/staff/supervision/{batch.pk}/").content.decode()
    assert "已读取 <strong id=\"progress-read\">0</strong> / 共 <strong>14</strong> 份" in page
    assert f'hx-get="/staff/supervision/{batch.pk}/progress/"' in page and 'hx-trigger="every 3s"' in page
    assert "仍在读取中" in page and 'id="by-body"' not in page  # the review once all is read
    listing = client.get("/staff/supervision/?year=2024").content.decode()
    assert "读取中，尚余 14 份" in listing and "该年度有批次仍在读取中，导出只包括已读取完成的报告" in listing

    monkeypatch.undo()
    monkeypatch.setattr(fetch, "system_resolve", lambda host, port: ["93.184.216.34"])
    monkeypatch.setattr(fetch, "_open", lambda target, left: opened.append(target.path) or FakeResponse(PINGTAN))
    assert queue.drain(limit=3) == 3
    frag = client.get(f"/staff/supervision/{batch.pk}/progress/", HTTP_HX_REQUEST="true")
    assert frag.status_code == 200 and '<strong id="progress-read">3</strong>' in frag.content.decode()
    assert "已检查 3 份，待指定机关 0 份，未能读取 0 份" in frag.content.decode()
    assert queue.drain() == 11
    assert opened == ["/nb/2024.txt"]  # the URL fetched once, by the worker
    states = Counter(batch.submissions.values_list("state", flat=True))
    assert states == {SubmissionState.CHECKED: 13, SubmissionState.FAILED: 1}
    assert not Upload.objects.exists()  # read: the bytes are not kept
    batch.refresh_from_db()
    assert batch.read_at is not None
    done = AuditEntry.objects.get(action="supervision.read", subject_id=str(batch.pk))
    assert done.actor is None and done.after["failed_sources"] == ["junk.txt"] and done.after["count"] == 14
    from gongkai.web.audit.present import present

    for row in present([done, AuditEntry.objects.get(action="supervision.upload")]):  # the audit page, in words
        assert row.action in ("督查：读取完成", "督查：上传") and row.who in ("系统", "supervisor")
        assert not [label for label, *_ in row.changes if label == "其他字段"], row.changes
    # the page polls no more: the progress request asks htmx for a full reload, the page shows the review
    frag = client.get(f"/staff/supervision/{batch.pk}/progress/", HTTP_HX_REQUEST="true")
    assert frag.status_code == 200 and frag["HX-Refresh"] == "true"
    page = client.get(f"/staff/supervision/{batch.pk}/").content.decode()
    assert "hx-trigger" not in page and "仍在读取中" not in page and "未能读取" in page
    assert "仍在读取中" not in client.get("/staff/supervision/?year=2024").content.decode()


def test_a_stale_claim_is_taken_again_and_the_late_worker_writes_nothing(office, world):
    b = sv.batch_create(office=office, year=2024, actor=world["users"]["supervisor"], files=[("p.txt", PINGTAN)])
    long_ago = timezone.now() - dt.timedelta(seconds=queue.claim_timeout() + 5)
    dead = queue.claim(worker="dead", now=long_ago)  # the worker was killed (kill -9) after claiming
    assert dead is not None and dead.state == SubmissionState.READING
    assert queue.claim(worker="other", now=long_ago + dt.timedelta(seconds=10)) is None  # a live claim is left alone
    sub = queue.claim(worker="live")
    assert sub is not None and sub.pk == dead.pk and sub.attempts == 2 and sub.claimed_by == "live"
    assert queue.process(sub, worker="live")
    assert not sv.submission_store(pk=sub.pk, worker="dead", data=None, result=None, error="迟到")  # not its claim
    sub.refresh_from_db()
    assert sub.state == SubmissionState.CHECKED and not sub.error
    done = AuditEntry.objects.get(action="supervision.read", subject_id=str(b.pk))
    assert done.after["retried_sources"] == ["p.txt"]


def test_a_report_that_kills_its_worker_every_time_gives_up(office, world):
    sv.batch_create(office=office, year=2024, actor=world["users"]["supervisor"], files=[("p.txt", PINGTAN)])
    Submission.objects.update(attempts=queue.MAX_ATTEMPTS, state=SubmissionState.READING,
                              claimed_at=timezone.now() - dt.timedelta(days=1), claimed_by="dead")
    assert queue.drain() == 1
    sub = Submission.objects.get()
    assert sub.state == SubmissionState.FAILED and sub.error == queue.GAVE_UP


def test_an_unexpected_error_fails_that_report_alone(office, world, monkeypatch):
    real = queue.read_report

    def read(name: str, data: bytes) -> Read:
        if name == "bad.txt":
            raise RuntimeError("a bug in a checker")
        return real(name, data)

    monkeypatch.setattr(queue, "read_report", read)
    b = sv.batch_create(office=office, year=2024, actor=world["users"]["supervisor"],
                        files=[("reports.zip", _zip(**{"a.txt": PINGTAN, "bad.txt": PINGTAN, "c.txt": PINGTAN}))])
    assert queue.drain() == 3
    states = dict(b.submissions.values_list("source", "state"))
    assert states == {"a.txt": "checked", "bad.txt": "failed", "c.txt": "checked"}
    assert b.submissions.get(source="bad.txt").error == queue.INTERNAL
    assert Batch.objects.get(pk=b.pk).read_at is not None


def test_a_failed_upload_leaves_nothing(office, world, monkeypatch):
    """The upload is one transaction: a failure at its end (here the audit entry) leaves no batch, no report, no
    bytes, and nothing is read."""
    from gongkai.web.supervision import services

    def broken(**kw):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        sv.batch_create(office=office, year=2024, actor=world["users"]["supervisor"], files=[("p.txt", PINGTAN)])
    assert not Batch.objects.exists() and not Submission.objects.exists() and not Upload.objects.exists()


def test_racing_workers_claim_each_report_once(transactional_db, world, monkeypatch):
    """Four threads (four database connections) drain one queue: each report is read exactly once."""
    from django.db import connection

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database shares one cache between threads (run on PostgreSQL)")
    reads: list[str] = []
    lock = threading.Lock()

    def read(name: str, data: bytes) -> Read:
        with lock:
            reads.append(name)
        time.sleep(0.005)
        return Read(None, error="测试")

    monkeypatch.setattr(queue, "read_report", read)
    files = [(f"{i:03d}.txt", b"x") for i in range(60)]
    b = sv.batch_create(office=world["district"], year=2024, actor=world["users"]["supervisor"], files=files)
    assert queue.drain(threads=4) == 60
    assert sorted(reads) == sorted(n for n, _ in files)  # none twice, none missed
    assert set(b.submissions.values_list("state", flat=True)) == {SubmissionState.FAILED}
    workers = set(b.submissions.values_list("claimed_by", flat=True))
    assert len(workers) > 1  # they did race
    assert AuditEntry.objects.filter(action="supervision.read", subject_id=str(b.pk)).count() == 1


def test_the_web_process_thread_reads_after_the_upload_commits(transactional_db, world, settings):
    from django.db import connection

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database shares one cache between threads (run on PostgreSQL)")
    settings.GONGKAI_SUPERVISION_INLINE_WORKER = True
    b = sv.batch_create(office=world["district"], year=2024, actor=world["users"]["supervisor"],
                        files=[("a.txt", "这不是年度报告".encode()), ("b.txt", b"x")])
    deadline = time.monotonic() + 60
    while Batch.objects.get(pk=b.pk).read_at is None:
        assert time.monotonic() < deadline, list(b.submissions.values_list("state", flat=True))
        time.sleep(0.2)
    assert set(b.submissions.values_list("state", flat=True)) == {SubmissionState.FAILED}


SETUP = r"""
import django, json, sys

django.setup()
from django.core.management import call_command

call_command("migrate", interactive=False, verbosity=0)
from gongkai.web.bodies.models import Role
from gongkai.web.bodies.services import body_create, membership_grant, user_create
from gongkai.web.supervision import services as sv

d = body_create(name="哈尔滨市南岗区人民政府", short_name="南岗区", kind="government", level="county")
body_create(name="平潭综合实验区", short_name="平潭", kind="government", level="county", parent=d)
sup = user_create(username="sup", password="secret-pass-1")
membership_grant(user=sup, body=d, role=Role.SUPERVISOR)
report = open(sys.argv[1], "rb").read()
files = [(f"{i:02d}.txt", "这不是年度报告".encode()) for i in range(int(sys.argv[2]))] + [("pingtan.txt", report)]
print(json.dumps(sv.batch_create(office=d, year=2024, actor=sup, files=files).pk))
"""


def _states(db: Path) -> list[tuple]:
    import sqlite3

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=20) as conn:
        return conn.execute("select source, state, attempts, claimed_by from supervision_submission").fetchall()


@pytest.mark.slow
def test_worker_processes_on_sqlite_race_and_survive_kill_9(tmp_path):
    """The production command on a SQLite file (WAL), as `gongkai serve` uses it: a worker killed with SIGKILL while
    reading leaves its claim; two workers started together (2 threads each) take the rest and the stale claim once
    its time has passed — every report read, none twice, the batch closed once, the audit chain whole."""
    import json
    import os
    import signal
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "GONGKAI_DB_CONN_MAX_AGE")}
    env |= {"GONGKAI_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "gongkai.web.settings",
            "GONGKAI_SUPERVISION_INLINE_WORKER": "0", "GONGKAI_LOG_LEVEL": "ERROR"}
    out = subprocess.run([sys.executable, "-c", SETUP, str(DEV / "pingtan-2024.txt"), "11"], env=env,
                         capture_output=True, text=True, timeout=300, check=False)
    assert out.returncode == 0, out.stderr
    batch = json.loads(out.stdout.strip().splitlines()[-1])
    db = tmp_path / "gongkai.sqlite3"
    gongkai = os.path.join(os.path.dirname(sys.executable), "gongkai")
    manage = [gongkai, "manage", "gongkai_supervision_work"]
    victim = subprocess.Popen([*manage, "--threads", "1"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not any(state == "reading" for _, state, *_ in _states(db)):
            assert time.monotonic() < deadline and victim.poll() is None
            time.sleep(0.05)
    finally:
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=10)
    stuck = [row for row in _states(db) if row[1] == "reading"]
    assert len(stuck) == 1
    import sqlite3

    with sqlite3.connect(db, timeout=20) as conn:  # the claim's timeout passes (300 s): as if made long ago
        conn.execute("update supervision_submission set claimed_at = '2000-01-01 00:00:00' where state = 'reading'")
    racers = [subprocess.Popen([*manage, "--once", "--threads", "2"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in racers]
    assert all(p.returncode == 0 for p in racers), outs
    rows = {source: (state, attempts, by) for source, state, attempts, by in _states(db)}
    assert len(rows) == 12 and not {s for s, *_ in rows.values()} & {"pending", "reading"}, rows
    assert rows["pingtan.txt"][0] == "checked"
    assert rows[stuck[0][0]][1] == 2  # the dead worker's report, taken again once
    assert all(attempts == 1 for source, (_, attempts, _) in rows.items() if source != stuck[0][0])  # none twice
    assert len({by.rsplit(":", 1)[0] for _, _, by in rows.values()}) >= 2  # both processes read (pids differ)
    check = subprocess.run([gongkai, "audit", "verify"], env=env, capture_output=True,
                           text=True, timeout=120, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        closed = conn.execute("select count(*) from audit_auditentry where action = 'supervision.read' and subject_id = ?",
                              (str(batch),)).fetchone()[0]
    assert closed == 1
