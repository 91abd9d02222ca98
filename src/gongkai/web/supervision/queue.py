"""The reading of uploaded reports, out of the request: a queue of 待读取 submissions in the database, drained by
workers that may run anywhere (the web process's own background thread, ``gongkai manage gongkai_supervision_work``
on the same or another server, several at once).

A worker *claims* one submission with a conditional ``UPDATE … WHERE state = 'pending' OR (state = 'reading' AND
claimed_at < now − timeout)`` — one statement, so of two workers (threads, processes, servers; SQLite or PostgreSQL)
exactly one gets each row — then fetches it if it is a URL (``fetch.fetch``, the SSRF guard), reads it in a capped
child process (``reading.read_report``) and stores the outcome in one transaction (``services.submission_store``),
which writes only while the claim is still its own. A worker that dies (``kill -9``, a restarted server) leaves its
claim behind; once older than :func:`claim_timeout` another worker takes it again, at most :data:`MAX_ATTEMPTS` times
in all, after which the report fails with its own error (a file that brings the worker down must not do so forever).

Claims are not audited one by one (a 300-report batch would add 600 rows saying "started"/"done"): the upload's
entry (``supervision.upload``) opens the batch, ``supervision.read`` closes it with the outcome, the reports taken
again after a dead worker among it.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connections
from django.db.models import F, Q
from django.utils import timezone

from .fetch import FetchRefused, fetch
from .models import Submission, SubmissionState, Upload
from .reading import Read, read_report

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
GAVE_UP = "多次读取均未完成（读取进程意外中止），请检查该文件后重新上传"
INTERNAL = "读取时发生内部错误，请重新上传该文件"


def claim_timeout() -> int:
    """Seconds after which a claim is taken to be a dead worker's: longer than any one read can take (a fetch's
    time limit plus the isolated parse's wall-clock limit), so a slow worker is never overtaken."""
    return int(getattr(settings, "GONGKAI_SUPERVISION_CLAIM_SECONDS", 300))


def worker_id() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{threading.get_ident() % 1_000_000}"


def _claimable(now: dt.datetime) -> Q:
    stale = now - dt.timedelta(seconds=claim_timeout())
    return Q(state=SubmissionState.PENDING) | Q(state=SubmissionState.READING, claimed_at__lt=stale)


def claim(*, worker: str, now: dt.datetime | None = None, batch: int | None = None) -> Submission | None:
    """The next submission to read, now claimed by ``worker`` (or ``None``: nothing left to claim)."""
    now = now or timezone.now()
    scope = Submission.objects.filter(batch_id=batch) if batch is not None else Submission.objects.all()
    for _ in range(50):  # another worker may win a row between the look and the claim: look again
        pk = scope.filter(_claimable(now)).order_by("pk").values_list("pk", flat=True).first()
        if pk is None:
            return None
        won = Submission.objects.filter(_claimable(now), pk=pk).update(
            state=SubmissionState.READING, claimed_at=now, claimed_by=worker[:100], attempts=F("attempts") + 1)
        if won:
            sub = Submission.objects.select_related("batch").get(pk=pk)
            if sub.attempts > 1:
                logger.warning("supervision: report %s (%s) taken again, attempt %d", pk, sub.source, sub.attempts)
            return sub
    return None


def process(sub: Submission, *, worker: str) -> bool:
    """Fetch (a URL), read and store one claimed submission; ``False`` when the claim was lost meanwhile."""
    from . import services

    data: bytes | None = None
    result: Read | None = None
    error = ""
    if sub.attempts > MAX_ATTEMPTS:
        error = GAVE_UP
    elif sub.url:
        try:
            data = fetch(sub.url).data
        except FetchRefused as exc:
            error = exc.message
    else:
        raw = Upload.objects.filter(submission=sub).values_list("data", flat=True).first()
        data = bytes(raw) if raw is not None else None  # a memoryview on PostgreSQL
        error = "" if data is not None else "上传的文件内容缺失，请重新上传"
    if data is not None:
        result = read_report(sub.source.rsplit("/", 1)[-1], data)
    return services.submission_store(pk=sub.pk, worker=worker, data=data, result=result, error=error)


def _fail(sub: Submission, *, worker: str) -> None:
    from . import services

    try:
        services.submission_store(pk=sub.pk, worker=worker, data=None, result=None, error=INTERNAL)
    except Exception:  # the database itself is failing: the claim stays, and is taken again after the timeout
        logger.exception("supervision: could not record the failure of report %s", sub.pk)


def work(*, worker: str | None = None, limit: int | None = None, batch: int | None = None,
         stop: Callable[[], bool] | None = None) -> int:
    """Claim and read submissions one after another in this thread until none is left (or ``limit``, or
    ``stop()``); the number read. One report's failure, however unexpected, is that report's alone."""
    worker = worker or worker_id()
    done = 0
    while (limit is None or done < limit) and not (stop and stop()):
        sub = claim(worker=worker, batch=batch)
        if sub is None:
            break
        try:
            process(sub, worker=worker)
        except Exception:
            logger.exception("supervision: reading report %s (%s) failed", sub.pk, sub.source)
            _fail(sub, worker=worker)
        done += 1
    return done


def drain(*, threads: int = 1, limit: int | None = None, batch: int | None = None,
          stop: Callable[[], bool] | None = None) -> int:
    """Read what is waiting with ``threads`` workers at once (each reading in its own child process); the number
    read. With one thread the work runs in the calling thread (and its database connection: tests use this)."""
    if threads <= 1:
        return work(limit=limit, batch=batch, stop=stop)

    def one() -> int:
        try:
            return work(limit=limit, batch=batch, stop=stop)
        finally:
            connections.close_all()  # this thread's connections

    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="gongkai-supervision") as pool:
        return sum(pool.map(lambda _: one(), range(threads)))


# The web process's own worker: one background thread per process at most, started after an upload commits and
# when a batch page finds reports still waiting (so that a restarted server picks up where it stopped). Claims
# make it safe next to other processes' threads and the management command. GONGKAI_SUPERVISION_INLINE_WORKER=0
# turns it off where a separate worker runs.
_lock = threading.Lock()
_thread: threading.Thread | None = None
_again = False


def inline_enabled() -> bool:
    return bool(getattr(settings, "GONGKAI_SUPERVISION_INLINE_WORKER", True))


def kick() -> None:
    """Make sure this process's background worker drains the queue (no-op when turned off)."""
    global _thread, _again
    if not inline_enabled():
        return
    with _lock:
        _again = True
        if _thread is not None and _thread.is_alive():
            return
        _thread = threading.Thread(target=_run, name="gongkai-supervision-inline", daemon=True)
        _thread.start()


def _run() -> None:
    global _thread, _again
    try:
        while True:
            with _lock:
                _again = False
            try:
                work()
            except Exception:  # the database is unreachable: stop; the next upload or batch page starts again
                logger.exception("supervision: the background worker stopped")
                with _lock:
                    _thread = None
                return
            with _lock:
                if not _again:
                    _thread = None
                    return
    finally:
        close_old_connections()
        connections.close_all()
