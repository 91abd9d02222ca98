from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from ..bodies.permissions import visible_bodies
from .chain import Verdict, verify
from .models import AuditChain, AuditEntry
from .services import subject_type_of


def audit_for(*, subject: models.Model) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(subject_type=subject_type_of(subject), subject_id=str(subject.pk))


def audit_visible_to(*, user: Any) -> QuerySet[AuditEntry]:
    """Entries about bodies the user sees; entries without a body (calendar, users) only for superusers."""
    if user.is_superuser:
        return AuditEntry.objects.all()
    return AuditEntry.objects.filter(Q(body__in=visible_bodies(user=user)))


def audit_chain_verify(*, anchors: dict[int, str] | None = None) -> Verdict:
    """Check the whole hash chain (chain.py), in ``seq`` order, against the chain head and ``anchors``
    (``{seq: hash}`` written down earlier)."""
    head = AuditChain.objects.filter(pk=AuditChain.HEAD).values_list("seq", "hash").first()
    entries = AuditEntry.objects.order_by("seq")
    if head is not None:  # entries written after the head was read are not checked (a live server keeps writing)
        entries = entries.filter(seq__lte=head[0])
    return verify(entries.iterator(chunk_size=2000), head=tuple(head) if head else (0, ""), anchors=anchors)
