"""Template context shared by every staff page: the navigation, assembled from the apps' ``nav`` entries."""
from __future__ import annotations

from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


def _supervises(user: Any) -> bool:
    """A 督查 role on some body (or a superuser): the supervising office's entries."""
    from ..bodies.models import Membership, Role

    return bool(user.is_superuser or Membership.objects.filter(user=user, role=Role.SUPERVISOR).exists())


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    configs = sorted(apps.get_app_configs(), key=lambda c: getattr(c, "nav_order", 50))
    for config in configs:
        for entry in getattr(config, "nav", ()):
            label, url_name, *rest = entry
            if rest and rest[0] == "superuser" and not user.is_superuser:
                continue
            if rest and rest[0] == "supervisor" and not _supervises(user):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            items.append({"label": label, "url": url, "active": False})
    # The active entry is the longest URL prefix of the current path (台账统计 inside 申请办理's /staff/cases/).
    matching = [i for i in items if request.path.startswith(i["url"]) and i["url"] != "/staff/"]
    if matching:
        max(matching, key=lambda i: len(i["url"]))["active"] = True
    return {"nav_items": items}
