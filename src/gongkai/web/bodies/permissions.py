"""Who may see and do what, as querysets shared by views, the API and templates.

A user sees the bodies they are a member of, and, with the 督查 role, every body below those (read-only).
Superusers (system administrators) see every body. Actions on a body need one of the roles in ``ACTIONS``
on that very body (supervisors never act on subordinate bodies). Objects of a body the user cannot see are
reported as missing (404), objects the user sees but may not change as forbidden (403).
"""
from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ..core.errors import Forbidden
from .models import Body, Membership, Role

ALL_ROLES = frozenset(Role)
ACTIONS: dict[str, frozenset[str]] = {
    "view": ALL_ROLES,
    "register": frozenset({Role.CLERK, Role.HANDLER, Role.ADMIN}),
    "handle": frozenset({Role.HANDLER, Role.REVIEWER, Role.ADMIN}),
    "review": frozenset({Role.REVIEWER, Role.ADMIN}),
    "extend": frozenset({Role.HEAD, Role.ADMIN}),
    "sign": frozenset({Role.HEAD}),  # 负责人签发 (the annual report, after 审核 and before 发布)
    "appeal": frozenset({Role.HANDLER, Role.REVIEWER, Role.HEAD, Role.ADMIN}),
    "manage": frozenset({Role.ADMIN}),
    # settle an item held as 公开与保密界限不清: the 负责人, or the 保密员 (settings.GONGKAI_HOLD_SETTLER)
    "settle": frozenset({Role.HEAD}),
}


def roles_for(action: str) -> frozenset[str]:
    """The roles that may do ``action`` (``settle`` follows ``settings.GONGKAI_HOLD_SETTLER``)."""
    if action == "settle":
        from django.conf import settings

        return frozenset({Role.SECRECY if getattr(settings, "GONGKAI_HOLD_SETTLER", "head") == "secrecy"
                          else Role.HEAD})
    return ACTIONS[action]


def visible_bodies(*, user: Any) -> QuerySet[Body]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Body.objects.none()
    if user.is_superuser:
        return Body.objects.all()
    memberships = list(Membership.objects.filter(user=user).select_related("body"))
    condition = Q(pk__in=[m.body_id for m in memberships])
    for m in memberships:
        if m.role == Role.SUPERVISOR:
            condition |= Q(path__startswith=m.body.path)
    return Body.objects.filter(condition)


def bodies_for(*, user: Any, action: str) -> QuerySet[Body]:
    """The bodies on which ``user`` may perform ``action``."""
    roles = roles_for(action)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Body.objects.none()
    if user.is_superuser:
        return Body.objects.all()
    if action == "view":
        return visible_bodies(user=user)
    return Body.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()


def can(*, user: Any, action: str, body: Body | int) -> bool:
    body_id = body if isinstance(body, int) else body.pk
    return bodies_for(user=user, action=action).filter(pk=body_id).exists()


def require(*, user: Any, action: str, body: Body | int) -> None:
    if not can(user=user, action=action, body=body):
        raise Forbidden(f"您在该机关没有“{ACTION_NAMES[action]}”权限")


def allowed_actions(*, user: Any, body: Body) -> set[str]:
    """The actions ``user`` may perform on ``body`` (for templates: which buttons to show)."""
    if user.is_superuser:
        return set(ACTIONS)
    roles = set(Membership.objects.filter(user=user, body=body).values_list("role", flat=True))
    out = {a for a in ACTIONS if roles & roles_for(a)}
    if visible_bodies(user=user).filter(pk=body.pk).exists():
        out.add("view")
    return out


ACTION_NAMES = {"view": "查看", "register": "登记", "handle": "办理", "review": "审核", "extend": "批准延期",
                "appeal": "登记复议诉讼", "manage": "管理",
                "sign": "签发", "settle": "裁定暂缓公开的信息"}
