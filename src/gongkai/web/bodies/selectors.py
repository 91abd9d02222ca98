from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ..core.errors import NotFound
from .models import Body, Membership
from .permissions import visible_bodies


def memberships_of(*, user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("body")


def body_get(*, user: Any, pk: int) -> Body:
    body = visible_bodies(user=user).filter(pk=pk).first()
    if body is None:
        raise NotFound("未找到该机关")
    return body


def body_by_name(name: str) -> Body | None:
    return Body.objects.filter(name=name).first()


def descendants(body: Body) -> QuerySet[Body]:
    return Body.objects.filter(path__startswith=body.path)
