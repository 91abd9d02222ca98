"""Template context shared by every staff page: the navigation, assembled from the apps' ``nav`` entries."""
from __future__ import annotations

from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for config in apps.get_app_configs():
        for entry in getattr(config, "nav", ()):
            label, url_name, *rest = entry
            if rest and rest[0] == "superuser" and not user.is_superuser:
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            items.append({"label": label, "url": url, "active": request.path.startswith(url) and url != "/staff/"})
    return {"nav_items": items}
