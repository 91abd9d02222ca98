from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from ..bodies.permissions import visible_bodies
from .models import AuditEntry
from .services import subject_type_of


def audit_for(*, subject: models.Model) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(subject_type=subject_type_of(subject), subject_id=str(subject.pk))


def audit_visible_to(*, user: Any) -> QuerySet[AuditEntry]:
    """Entries about bodies the user sees; entries without a body (calendar, users) only for superusers."""
    if user.is_superuser:
        return AuditEntry.objects.all()
    return AuditEntry.objects.filter(Q(body__in=visible_bodies(user=user)))
