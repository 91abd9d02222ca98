"""The letters of the demo: 七政's letter settings confirmed, and letters issued on a few recent cases."""
from __future__ import annotations

from typing import Any

from ..core.errors import WebError
from .services import body_letter_settings_save, letter_issue
from .settings import letter_settings


def load_letters_demo(*, bodies: dict[str, Any], users: dict[str, Any], made: list[Any], per_kind: int = 3) -> int:
    """Confirm 七政's settings (as inferred) and issue receipts and replies on its latest cases; returns how many."""
    qizheng = bodies["七政"]
    s = letter_settings(qizheng)
    body_letter_settings_save(body=qizheng, actor=users["guanli"], letter_prefix=s.prefix,
                              review_authority=s.review_authority, court=s.court)
    cases = sorted((a for a in made if a.body_id == qizheng.pk), key=lambda a: (a.received_on, a.pk))
    issued = 0
    for app in cases[-per_kind:]:
        issued += _try(app, users["dengji"], "receipt")
    closed = [a for a in cases if a.closed_on and a.reply_type and not a.reply_type.startswith("other.")
              and a.due_on and a.reply_on and a.reply_on <= a.due_on]  # replies in time (a late one needs a reason)
    for app in closed[-per_kind:]:
        facts = {"withheld": "denied.third_party"} if app.reply_type == "partial" else {}
        issued += _try(app, users["shenhe"], f"reply.{app.reply_type}", facts)
    return issued


def _try(app: Any, actor: Any, key: str, facts: dict[str, Any] | None = None) -> int:
    try:
        letter_issue(application=app, actor=actor, key=key, facts=facts)
    except WebError:  # e.g. a demo reply made after its due date: the gate blocks it, as it would in the office
        return 0
    return 1
