"""RSS of a body's newly published items (only public ones)."""
from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse

from ..catalog.selectors import items_public
from .selectors import body_public


class LatestItems(Feed):
    description_template = None

    def get_object(self, request, body_id: int):  # type: ignore[no-untyped-def, override]
        return body_public(body_id)

    def title(self, body):  # type: ignore[no-untyped-def]
        return f"{body.name} 政府信息公开"

    def link(self, body):  # type: ignore[no-untyped-def]
        return reverse("portal:body", args=[body.pk])

    def description(self, body):  # type: ignore[no-untyped-def]
        return f"{body.name}最新主动公开的政府信息"

    def items(self, body):  # type: ignore[no-untyped-def]
        return items_public(body=body).order_by("-published_at")[:30]

    def item_title(self, item):  # type: ignore[no-untyped-def]
        return item.title

    def item_description(self, item):  # type: ignore[no-untyped-def]
        return item.summary or item.text[:200]

    def item_link(self, item):  # type: ignore[no-untyped-def]
        return reverse("portal:item", args=[item.index_no])

    def item_pubdate(self, item):  # type: ignore[no-untyped-def]
        return item.published_at
