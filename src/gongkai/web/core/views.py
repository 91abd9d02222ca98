from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from ..bodies.selectors import memberships_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = list(memberships_of(user=request.user))
    context: dict = {"memberships": memberships}
    if request.user.is_superuser or any(m.role == "admin" for m in memberships):
        try:  # next year's holiday notice, from 1 November until it is entered (the calendar is then a guess)
            from ..clock.selectors import calendar_reminders

            context["calendar_reminders"] = calendar_reminders()
        except ImportError:  # pragma: no cover - during bootstrapping only
            pass
    try:
        from ..applications.selectors import dashboard_for

        context.update(dashboard_for(user=request.user))
    except ImportError:  # pragma: no cover - during bootstrapping only
        pass
    return render(request, "staff/home.html", context)


def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"ok": True})


def lockout(request: HttpRequest, original_response: HttpResponse | None = None,
            credentials: dict | None = None) -> HttpResponse:
    """django-axes' response to a locked-out login (AXES_LOCKOUT_CALLABLE): a Chinese page, 429."""
    from django.conf import settings

    minutes = round(float(settings.AXES_COOLOFF_TIME or 0) * 60)
    return render(request, "registration/lockout.html",
                  {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}, status=429)
