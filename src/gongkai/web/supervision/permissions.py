"""Who sees what of the supervision: a batch belongs to the office that uploaded it (its 督查 users; superusers);
a 督办 is seen by that office and by the members of the body it is sent to, who answer it."""
from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ..bodies.models import Body, Membership, Role
from ..core.errors import Forbidden

ANSWER_ROLES = frozenset({Role.CLERK, Role.HANDLER, Role.REVIEWER, Role.HEAD, Role.ADMIN})


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def offices_for(*, user: Any) -> QuerySet[Body]:
    """The bodies on whose behalf ``user`` supervises (their 督查 role; superusers: every body)."""
    if not _active(user):
        return Body.objects.none()
    if user.is_superuser:
        return Body.objects.all()
    return Body.objects.filter(memberships__user=user, memberships__role=Role.SUPERVISOR).distinct()


def subordinates(office: Body) -> QuerySet[Body]:
    return Body.objects.filter(path__startswith=office.path).exclude(pk=office.pk)


def answering_bodies(*, user: Any) -> QuerySet[Body]:
    """Bodies whose 督办 ``user`` may answer (a member with a working role)."""
    if not _active(user):
        return Body.objects.none()
    return Body.objects.filter(memberships__user=user, memberships__role__in=ANSWER_ROLES).distinct()


def dubans_condition(*, user: Any) -> Q:
    if not _active(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    member_of = Membership.objects.filter(user=user).values("body_id")
    return Q(finding__submission__batch__office__in=offices_for(user=user)) | Q(body__in=member_of)


def require_office(*, user: Any, office: Body) -> None:
    if not offices_for(user=user).filter(pk=office.pk).exists():
        raise Forbidden("您不是该机关的督查人员")
