"""The daily digest per body: what is overdue and what falls due within five working days, and the catalog items
held as 公开与保密界限不清 that wait for the 负责人 or the 保密员."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from ..bodies.models import Body, Membership, Role
from .selectors import due_rows


def digest_text(*, body: Body, today: dt.date | None = None) -> str | None:
    """The digest of one body, or None when nothing is due."""
    today = today or timezone.localdate()
    rows = list(due_rows(bodies=[body], today=today))
    holds = _holds(body)
    if not rows and not holds:
        return None
    overdue = [a for a in rows if a.due_on < today]
    soon = [a for a in rows if a.due_on >= today]
    lines = [f"{body.name} 政府信息公开申请办理提醒（{today:%Y年%m月%d日}）", ""]
    for title, items in (("已超期", overdue), ("五个工作日内到期", soon)):
        lines.append(f"【{title}】{len(items)}件")
        for a in items:
            handler = a.handler.get_username() if a.handler else "未分配"
            due = f"{a.due_on:%Y-%m-%d}" + ("（预计）" if a.due_provisional else "")
            lines.append(f"  {a.number}  期限 {due}  {a.get_status_display()}  申请人 {a.applicant_name}"
                         f"  承办人 {handler}")
        lines.append("")
    notes = sorted({a.due_note for a in rows if a.due_provisional and a.due_note})
    lines += [f"预计：{n}；录入放假安排后自动重新计算。" for n in notes]
    if holds:
        lines += ["", f"【暂缓公开待裁定（公开与保密界限不清）】{len(holds)}条"]
        lines += [f"  {h.item.title}  {h.held_on:%Y-%m-%d} 起暂缓  审查人 {h.held_by.get_username()}  {h.reason[:40]}"
                  for h in holds]
    return "\n".join(lines).rstrip() + "\n"


def _holds(body: Body) -> list[Any]:
    from django.apps import apps

    if not apps.is_installed("gongkai.web.catalog"):
        return []
    from ..catalog.selectors import held_items_of

    return held_items_of(body=body)


def digest_send(*, today: dt.date | None = None, email: bool = False, bodies: Any = None) -> list[tuple[Body, str]]:
    """Build the digest of every body with something due; with ``email`` mail it to the body's handlers,
    reviewers and heads (through the configured backend: the console by default)."""
    out: list[tuple[Body, str]] = []
    from django.apps import apps

    if apps.is_installed("gongkai.web.catalog"):  # each open hold's reminder of the day, audited once a day
        from ..catalog.services import holds_remind

        holds_remind(today=today)
    for body in bodies if bodies is not None else Body.objects.all():
        text = digest_text(body=body, today=today)
        if text is None:
            continue
        out.append((body, text))
        if email:
            recipients = sorted({m.user.email for m in Membership.objects.filter(
                body=body, role__in=[Role.HANDLER, Role.REVIEWER, Role.HEAD, Role.SECRECY]).select_related("user") if m.user.email})
            if recipients:
                send_mail(f"【办理提醒】{body.name}", text, settings.DEFAULT_FROM_EMAIL, recipients)
    return out
