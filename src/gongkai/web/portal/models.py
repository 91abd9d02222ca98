"""The portal's own table: the counters of the public application form's rate limit.

They live in the database, not in Django's cache: ``gongkai serve`` runs several gunicorn workers and the default
cache is per process, so a client would get the limit once per worker.
"""
from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """Submissions of one client in one fixed time window (``window`` = Unix time // window length).

    ``key`` is a keyed hash of the client address (no address is stored). Rows of past windows are pruned.
    """

    key = models.CharField(max_length=64)
    window = models.BigIntegerField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="portal_rate_key_window")]

    def __str__(self) -> str:
        return f"{self.key[:8]}…@{self.window}: {self.count}"
