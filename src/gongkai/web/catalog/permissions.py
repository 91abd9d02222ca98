"""Who may do what in the catalog (on top of ``bodies.permissions``).

- draft, edit, submit, attach, set validity, enter figures: ``register`` (登记员、承办人、管理员)
- confidentiality review and withdrawal: ``review`` (审核人、管理员), never on one's own item
- publish an approved item: ``register`` or ``review``
- link and unlink 相关解读: ``register``, in every state (a link is not content and needs no review)
"""
from __future__ import annotations

from typing import Any

from ..bodies.permissions import can
from .models import EDITABLE, Item, ItemState


def item_actions(*, user: Any, item: Item) -> set[str]:
    """The buttons to show on an item page."""
    out: set[str] = set()
    register = can(user=user, action="register", body=item.body_id)
    review = can(user=user, action="review", body=item.body_id)
    if register and item.state in EDITABLE:
        out |= {"edit", "submit", "attach"}
    if review and item.state == ItemState.SUBMITTED and item.author_id != user.pk:
        out |= {"review"}
    if (register or review) and item.state == ItemState.APPROVED:
        out.add("publish")
    if review and item.state == ItemState.PUBLISHED:
        out.add("withdraw")
    if register and item.state == ItemState.PUBLISHED and item.doc_kind:
        out.add("validity")
    if register:
        out.add("relate")
    return out
