"""Writes under concurrency, the same on SQLite and PostgreSQL (issue 13: citizens and clerks got a 500
"database is locked" when they submitted at the same moment).

**SQLite** (``settings.py``): WAL, a busy timeout, and every transaction opened with ``BEGIN IMMEDIATE``. A
transaction opened with a plain (deferred) ``BEGIN`` that reads first and writes later must upgrade its read lock
to the write lock at its first write; when another connection committed in between, SQLite refuses the upgrade at
once (SQLITE_BUSY_SNAPSHOT, "database is locked") — the busy timeout does not apply, since waiting cannot help a
transaction whose snapshot is already stale. ``BEGIN IMMEDIATE`` takes the write lock when the transaction starts,
waiting out the other writers up to the timeout, so a transaction never has to upgrade. (``select_for_update``
does nothing on SQLite.)

**Counters** (:func:`bump`): a number is allocated by writing first — ``UPDATE … SET n = n + 1`` — and reading the
row back in the same transaction. On PostgreSQL the write locks the row until the transaction ends, so two
transactions cannot read the same value; on SQLite the transaction holds the database's write lock. The first
number of a key inserts the row in a savepoint; a concurrent first insert loses on the unique constraint and
increments the winner's row. The counter is rolled back with the transaction that failed to use its number, so
numbers stay gapless.

**Retry** (:func:`atomic_retry`): a transaction that still fails for a passing reason — SQLite busy past the
timeout, a PostgreSQL serialization failure or deadlock, and where the caller says so a unique violation (a random
query code drawn twice, a first-of-its-kind row created twice) — is run again from the start, a bounded number of
times, then the error is raised.
"""
from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, OperationalError, models, transaction
from django.db.models import F

log = logging.getLogger(__name__)
T = TypeVar("T")

ATTEMPTS = 3  # runs of a transaction in all
BACKOFF = 0.05  # seconds, times the attempt number, plus as much again at random
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
_PG_TRANSIENT = {"40001", "40P01", "55P03"}  # serialization_failure, deadlock_detected, lock_not_available
_PG_UNIQUE = "23505"


def bump(model: type[models.Model], key: dict[str, Any], *, field: str = "last", by: int = 1) -> int:
    """Add ``by`` to ``field`` of the row of ``model`` matching ``key`` (created at ``by`` when missing) and return
    the new value. Write first, then read, inside the caller's transaction (required: the row stays locked until
    it commits, and a rollback gives the numbers back)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("bump() must run inside a transaction")
    rows = model.objects.filter(**key)
    if not rows.update(**{field: F(field) + by}):
        try:
            with transaction.atomic():  # a savepoint: a concurrent first request may insert the row first
                model.objects.create(**key, **{field: by})
        except IntegrityError:
            if not rows.update(**{field: F(field) + by}):
                raise
    return rows.values_list(field, flat=True).get()


def is_transient(exc: BaseException, *, unique: bool = False) -> bool:
    """Whether the failed transaction may succeed when run again (see the module docstring)."""
    cause = exc.__cause__
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if isinstance(exc, OperationalError):
        return state in _PG_TRANSIENT or any(text in str(exc).lower() for text in _SQLITE_BUSY)
    if isinstance(exc, IntegrityError) and unique:
        return state == _PG_UNIQUE or "unique constraint failed" in str(exc).lower()
    return False


def run_in_transaction(fn: Callable[[], T], *, attempts: int = ATTEMPTS, unique: bool = False) -> T:
    """``fn()`` in a transaction, run again when it failed for a passing reason (:func:`is_transient`), at most
    ``attempts`` times in all. Inside another transaction ``fn()`` runs once in a savepoint: only a whole
    transaction can be run again, and the outermost :func:`run_in_transaction` does it."""
    if transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            return fn()
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return fn()
        except (OperationalError, IntegrityError) as exc:
            if attempt >= attempts or not is_transient(exc, unique=unique):
                raise
            log.warning("transaction failed (%s), attempt %d of %d; running it again", exc, attempt, attempts)
            time.sleep(BACKOFF * attempt * (1 + random.random()))  # jitter (not a secret)
    raise AssertionError("unreachable")


def atomic_retry(func: Callable[..., T] | None = None, *, attempts: int = ATTEMPTS,
                 unique: bool = False) -> Any:
    """Decorator: like ``transaction.atomic``, and the outermost call is run again on a passing failure
    (:func:`run_in_transaction`). ``@atomic_retry`` or ``@atomic_retry(unique=True)``."""
    def decorate(fn: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> T:
            return run_in_transaction(lambda: fn(*args, **kwargs), attempts=attempts, unique=unique)
        return wrapper

    return decorate(func) if func is not None else decorate
