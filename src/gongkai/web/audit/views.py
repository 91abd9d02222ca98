from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .present import present
from .selectors import audit_visible_to


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    qs = audit_visible_to(user=request.user).select_related("body", "actor").order_by("-at", "-pk")
    if action := request.GET.get("action"):
        qs = qs.filter(action__startswith=action)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"page": page, "rows": present(list(page.object_list))})
