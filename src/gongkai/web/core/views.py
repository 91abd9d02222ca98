from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from ..bodies.selectors import memberships_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    context = {"memberships": memberships_of(user=request.user)}
    try:
        from ..applications.selectors import dashboard_for

        context.update(dashboard_for(user=request.user))
    except ImportError:  # pragma: no cover - during bootstrapping only
        pass
    return render(request, "staff/home.html", context)


def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"ok": True})
