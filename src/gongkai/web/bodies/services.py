"""Writes on bodies, memberships and tokens. Keyword-only, atomic, audited."""
from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ..audit.services import audit_record, snapshot
from ..core.errors import Invalid
from .models import ApiToken, Body, Membership, Role


@transaction.atomic
def body_create(*, name: str, short_name: str, kind: str, level: str, parent: Body | None = None,
                actor: Any = None, **details: str) -> Body:
    if Body.objects.filter(name=name).exists():
        raise Invalid(f"机关“{name}”已存在", details={"name": ["已存在"]})
    body = Body.objects.create(name=name, short_name=short_name, kind=kind, level=level, parent=parent, **details)
    body.path = f"{parent.path if parent else '/'}{body.pk}/"
    body.save(update_fields=["path"])
    audit_record(actor=actor, action="body.create", subject=body, body=body, after=snapshot(body))
    return body


@transaction.atomic
def user_create(*, username: str, password: str, full_name: str = "", email: str = "",
                is_superuser: bool = False, actor: Any = None) -> Any:
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise Invalid(f"用户名“{username}”已存在", details={"username": ["已存在"]})
    user = User(username=username, first_name=full_name, email=email, is_superuser=is_superuser,
                is_staff=is_superuser)
    user.set_password(password)
    user.save()
    audit_record(actor=actor, action="user.create", subject=user,
                 after={"username": username, "full_name": full_name, "is_superuser": is_superuser})
    return user


@transaction.atomic
def membership_grant(*, user: Any, body: Body, role: str, actor: Any = None) -> Membership:
    if role not in Role.values:
        raise Invalid(f"未知角色：{role}")
    membership, created = Membership.objects.get_or_create(user=user, body=body, role=role)
    if created:
        audit_record(actor=actor, action="membership.grant", subject=membership, body=body,
                     after={"user": user.username, "role": role})
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, actor: Any = None) -> None:
    before = {"user": membership.user.username, "role": membership.role}
    body = membership.body
    audit_record(actor=actor, action="membership.revoke", subject=membership, body=body, before=before)
    membership.delete()


@transaction.atomic
def token_create(*, user: Any, name: str = "", actor: Any = None) -> str:
    """Create an API token for ``user``; returns the key (shown once, only its digest is kept)."""
    key = "gk_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, digest=ApiToken.digest_of(key))
    audit_record(actor=actor or user, action="token.create", subject=token, after={"user": user.username, "name": name})
    return key


def token_authenticate(*, key: str) -> Any:
    token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
