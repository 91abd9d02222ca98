"""Writes on bodies, memberships and tokens. Keyword-only, atomic, audited."""
from __future__ import annotations

import datetime as dt
import re
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


SETTINGS_FIELDS = ("code", "index_pattern", "township_report_deadline", "township_report_deadline_basis")
_CODE = re.compile(r"[0-9A-Z]{9}|[0-9A-Z]{18}")
_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")


def month_day(raw: str) -> tuple[int, int] | None:
    """``"02-28"`` → ``(2, 28)``; ``None`` for an empty or invalid value (29 February is refused: not every year)."""
    m = _MONTH_DAY.fullmatch((raw or "").strip())
    if not m:
        return None
    month, day = int(m.group(1)), int(m.group(2))
    try:
        dt.date(2023, month, day)
    except ValueError:
        return None
    return month, day


@transaction.atomic
def body_update_settings(*, body: Body, actor: Any, **values: str) -> Body:
    """The body's 统一社会信用代码, 索引号 pattern and (乡镇/街道) annual-report deadline with its local rule.
    Needs ``manage``. A changed code or pattern applies to numbers given from now on; given ones never change."""
    from .permissions import require

    require(user=actor, action="manage", body=body)
    body = Body.objects.select_for_update().get(pk=body.pk)
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise Invalid(f"未知的字段：{'、'.join(sorted(unknown))}")
    clean = {k: (v or "").strip() for k, v in values.items()}
    if "code" in clean:
        clean["code"] = clean["code"].upper()
        if clean["code"] and not _CODE.fullmatch(clean["code"]):
            raise Invalid("统一社会信用代码应为18位（或组织机构代码9位）数字和大写字母", details={"code": ["格式有误"]})
    if clean.get("index_pattern"):
        from django.apps import apps

        if apps.is_installed("gongkai.web.catalog"):
            from ..catalog.services import check_index_pattern

            check_index_pattern(clean["index_pattern"])
    deadline = clean.get("township_report_deadline", body.township_report_deadline)
    basis = clean.get("township_report_deadline_basis", body.township_report_deadline_basis)
    if deadline and month_day(deadline) is None:
        raise Invalid("年报发布期限应写作 月-日，如 02-28", details={"township_report_deadline": ["格式有误"]})
    if deadline and not basis:
        raise Invalid("设置年报发布期限须写明依据的本地规定（文件名称和文号）",
                      details={"township_report_deadline_basis": ["必填"]})
    before = snapshot(body, list(clean))
    for name, value in clean.items():
        setattr(body, name, value)
    body.save(update_fields=list(clean))
    audit_record(actor=actor, action="body.settings", subject=body, body=body, before=before,
                 after=snapshot(body, list(clean)))
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
