from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone


class AppendOnly(Exception):
    """Raised on any attempt to change or delete an audit entry."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("审计日志只能追加，不能修改")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("审计日志只能追加，不能删除")


class AuditEntry(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)  # kept if the user is removed
    body = models.ForeignKey("bodies.Body", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject_type = models.CharField(max_length=60)
    subject_id = models.CharField(max_length=40)
    action = models.CharField(max_length=60)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)
    # the hash chain (chain.py): position (1, 2, 3 … without gaps), the previous entry's hash, this entry's hash
    seq = models.BigIntegerField(unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("审计日志只能追加，不能修改")
        from .chain import seal

        with transaction.atomic():
            seal(self)
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("审计日志只能追加，不能删除")

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for every field that differs."""
        before, after = self.before or {}, self.after or {}
        return [(k, before.get(k), after.get(k)) for k in dict.fromkeys([*before, *after])
                if before.get(k) != after.get(k)]


class AuditChain(models.Model):
    """The head of the hash chain: one row (``pk=HEAD``), the last entry's ``seq`` and ``hash``. Taken
    write-first by every new entry, which serialises the entries of concurrent transactions (chain.py)."""

    HEAD = 1
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True, default="")
