"""The four-eyes rule of 先审查、后公开, in one place for every kind of record that is reviewed before it is made
public (catalog items, annual reports, …).

A record may be approved only by someone who did not write, edit, attach to or submit it **since its last
approval**: every change made since then is someone's work that nobody else has looked at yet. Who touched a
record is not kept on the record (an ``author`` field says who created it, not who rewrote it later): it is read
from the audit log, which every service writes in the same transaction as the change
(``audit.services.audit_record``), so the rule cannot be bypassed by a path that forgets to update a field.

A :class:`Rule` names, for one kind of record, the audit actions that are *touches* (content written) and the ones
that are *approvals* (the boundary: touches before the last approval have been reviewed by someone else). A
review outcome that is neither (a return, a hold) is simply not listed: it neither touches nor approves, so the
record's touchers since the last approval stay barred. Another outcome is added by naming its audit action (or
its ``after["result"]``) in the rule, nothing else changes.

Approved and published records are frozen by their services (edits refused by state); the only way back is an
explicit, audited return to draft, after which the next approval again needs someone who did not touch it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models

from .errors import Forbidden


@dataclass(frozen=True)
class Rule:
    """The four-eyes rule of one kind of record, as audit actions.

    ``touches``: action → how the refusal names it (``{"catalog.update": "修改"}``).
    ``approvals``: actions that approve. An action listed with results (``approval_results``) approves only when
    its ``after["result"]`` is one of them (the catalog records both outcomes of a review as ``catalog.review``).
    ``permanent``: touches an approval does not clear (the catalog's 起草: an item's author never approves it,
    which the database also enforces for a published item).
    ``noun``: how the record is named in the refusal (``信息``, ``报告``)."""

    noun: str
    touches: dict[str, str]
    approvals: frozenset[str]
    approval_results: dict[str, frozenset[str]] = field(default_factory=dict)
    permanent: frozenset[str] = frozenset()

    def is_approval(self, action: str, after: dict[str, Any] | None) -> bool:
        if action not in self.approvals:
            return False
        results = self.approval_results.get(action)
        return results is None or (after or {}).get("result") in results


def _entries(subject: models.Model, rule: Rule) -> list[tuple[int | None, str, dict[str, Any] | None]]:
    from ..audit.models import AuditEntry
    from ..audit.services import subject_type_of

    actions = set(rule.touches) | set(rule.approvals)
    return list(AuditEntry.objects.filter(subject_type=subject_type_of(subject), subject_id=str(subject.pk),
                                          action__in=actions).order_by("pk")
                .values_list("actor_id", "action", "after"))


def touchers(*, subject: models.Model, rule: Rule) -> dict[int, list[str]]:
    """``{user id: [what they did, …]}`` for everyone who touched ``subject`` since its last approval (in order;
    an action done twice is named once). Actions of nobody (the system, an import) are not anybody's."""
    out: dict[int, list[str]] = {}
    kept: dict[int, list[str]] = {}  # permanent touches
    for actor_id, action, after in _entries(subject, rule):
        if rule.is_approval(action, after):
            out = {k: list(v) for k, v in kept.items()}
        elif action in rule.touches and actor_id is not None:
            for target in (out, kept) if action in rule.permanent else (out,):
                done = target.setdefault(actor_id, [])
                if rule.touches[action] not in done:
                    done.append(rule.touches[action])
    return out


def may_approve(*, user: Any, subject: models.Model, rule: Rule) -> bool:
    """Whether ``user`` is independent of ``subject`` (the permission to review is checked elsewhere)."""
    return getattr(user, "pk", None) not in touchers(subject=subject, rule=rule)


def refusal(*, user: Any, subject: models.Model, rule: Rule, act: str = "审核通过") -> str | None:
    """The Chinese reason ``user`` may not approve ``subject``, or ``None`` when they may."""
    done = touchers(subject=subject, rule=rule).get(getattr(user, "pk", None))
    if not done:
        return None
    return (f"不能{act}自己经手的{rule.noun}：您{'、'.join(done)}过它（先审查、后公开须由自上次审查通过以来"
            f"未经手的他人{act}），请由其他有权限的人办理")


def require_independent(*, user: Any, subject: models.Model, rule: Rule, act: str = "审核通过") -> None:
    """Raise :class:`Forbidden` (403) when ``user`` touched ``subject`` since its last approval."""
    reason = refusal(user=user, subject=subject, rule=rule, act=act)
    if reason:
        raise Forbidden(reason)

