"""Who may do what in the catalog (on top of ``bodies.permissions``).

- draft, edit, submit, attach, set validity, enter figures: ``register`` (登记员、承办人、管理员)
- confidentiality review and withdrawal: ``review`` (审核人、管理员), never by someone who wrote the item or
  edited, attached to or submitted it since its last approval (``services.REVIEW_RULE``)
- publish an approved item: ``register`` or ``review``
- 退回草稿 (the only way to change an approved, published or withdrawn item): ``review``; an approved item also
  ``register``
- link and unlink 相关解读: ``register``, in every state (a link is not content and needs no review)
- hold as 「公开与保密界限不清，暂缓公开」: ``review`` (an outcome of the review); settle a held item: ``settle``
  (the 负责人 or the 保密员, ``GONGKAI_HOLD_SETTLER``); settling it as publishable is an approval (four eyes)
"""
from __future__ import annotations

from typing import Any

from ..bodies.permissions import can
from ..core.review import may_approve, refusal
from .models import EDITABLE, Item, ItemState
from .services import REVIEW_RULE


def item_actions(*, user: Any, item: Item) -> set[str]:
    """The buttons to show on an item page."""
    out: set[str] = set()
    register = can(user=user, action="register", body=item.body_id)
    review = can(user=user, action="review", body=item.body_id)
    if register and item.state in EDITABLE:
        out |= {"edit", "submit", "attach"}
    if review and item.state == ItemState.SUBMITTED and may_approve(user=user, subject=item, rule=REVIEW_RULE):
        out |= {"review"}
    if (register or review) and item.state == ItemState.APPROVED:
        out.add("publish")
    if review and item.state == ItemState.PUBLISHED:
        out.add("withdraw")
    if (review and item.state in (ItemState.APPROVED, ItemState.PUBLISHED, ItemState.WITHDRAWN)) or (
            register and item.state == ItemState.APPROVED):
        out.add("return_draft")
    if register and item.state == ItemState.PUBLISHED and item.doc_kind:
        out.add("validity")
    if register:
        out.add("relate")
    if item.state == ItemState.HELD and can(user=user, action="settle", body=item.body_id):
        out.add("settle")
    return out


def review_refusal(*, user: Any, item: Item) -> str | None:
    """Why ``user`` may not review ``item`` (shown on the page instead of the review form), or ``None``."""
    if item.state != ItemState.SUBMITTED or not can(user=user, action="review", body=item.body_id):
        return None
    return refusal(user=user, subject=item, rule=REVIEW_RULE, act="审查")
