"""The portal's own tables: the counters of the public application form's rate limit, and the generation number
of everything the public pages show (the key of the page cache, see ``cache.py``).

Both live in the database, not in Django's cache: ``gongkai serve`` runs several gunicorn workers and the default
cache is per process, so a client would get the limit once per worker, and a worker could not learn that a page
it cached has changed.
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


class PublicGeneration(models.Model):
    """One row whose ``n`` grows whenever anything the public pages show changes: published items, their
    attachments and related items, bodies (their names and 指南 settings) and annual reports. Database triggers
    (migration 0002) bump it, so every way of changing those tables counts: services, bulk updates, the admin,
    raw SQL. Cached public pages are keyed by it and so are never served once stale."""

    n = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"generation {self.n}"
