"""Recording state changes. Every service that changes state calls :func:`audit_record` in its transaction."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from .models import AuditEntry


def subject_type_of(subject: models.Model) -> str:
    return subject._meta.label_lower


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-able dict of the concrete fields of ``obj`` (foreign keys as ids)."""
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        out[field.name] = _plain(getattr(obj, field.attname))
    return out


def audit_record(*, actor: Any, action: str, subject: models.Model, body: Any = None,
                 before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
                 note: str = "") -> AuditEntry:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user, actor_name=(user.get_username() if user else "系统"), body=body,
        subject_type=subject_type_of(subject), subject_id=str(subject.pk), action=action,
        before={k: _plain(v) for k, v in before.items()} if before else None,
        after={k: _plain(v) for k, v in after.items()} if after else None, note=note)
