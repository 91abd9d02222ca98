"""The portal's own tables: the counters of the public application form's rate limit, and the generation number
of everything the public pages show (the key of the page cache, see ``cache.py``).

Both live in the database, not in Django's cache: ``gongkai serve`` runs several gunicorn workers and the default
cache is per process, so a client would get the limit once per worker, and a worker could not learn that a page
it cached has changed.
"""
from __future__ import annotations

from django.conf import settings
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


class UsedFormToken(models.Model):
    """A public application form that was submitted: the random ``nonce`` of its signed token and the application
    it created. A token is accepted once (``services.public_apply``); rows older than the token's lifetime are
    pruned."""

    nonce = models.CharField(max_length=32, unique=True)
    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="+")
    used_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.nonce[:8]}… → {self.application_id}"


class PublicGeneration(models.Model):
    """One row whose ``n`` grows whenever anything the public pages show changes: published items, their
    attachments and related items, bodies (their names and 指南 settings) and annual reports. Database triggers
    (migration 0002) bump it, so every way of changing those tables counts: services, bulk updates, the admin,
    raw SQL. Cached public pages are keyed by it and so are never served once stale."""

    n = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"generation {self.n}"


class NoFunction(models.Model):
    """A body's declaration that one category of the public catalog is not among its functions.

    The portal says 「本机关无此项职能」 for a category only when the body has declared it here, with the basis of
    the declaration (its 三定方案, a 权责清单 …). A category with no published item and no declaration is shown as
    having no information yet: an empty list is not a claim about the body's functions. ``category`` is a code of
    第二十条 (``catalog.categories.ARTICLE_20``) or of 第二十一条 (``ARTICLE_21``)."""

    body = models.ForeignKey("bodies.Body", on_delete=models.CASCADE, related_name="no_functions")
    category = models.CharField("类别", max_length=40)
    basis = models.CharField("依据", max_length=200)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    declared_at = models.DateTimeField("声明时间")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "category"], name="portal_no_function_once")]
        verbose_name = "无此项职能声明"

    def __str__(self) -> str:
        return f"{self.body_id}: {self.category}"
