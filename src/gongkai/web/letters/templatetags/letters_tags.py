"""``{% case_letters app %}``: the letters card of the case page (the applications app includes it)."""
from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("letters/_case_card.html", takes_context=True)
def case_letters(context: dict[str, Any], app: Any) -> dict[str, Any]:
    from ..views import case_letters_context

    return case_letters_context(app, context["request"].user)
