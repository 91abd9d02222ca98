"""Staff pages of the portal: a body's declarations of 「本机关无此项职能」 (what its public catalog may claim)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ..bodies.permissions import allowed_actions, require
from ..bodies.selectors import body_get
from ..catalog.categories import ARTICLE_20, ARTICLE_21
from ..catalog.selectors import category_counts
from ..core.errors import Invalid
from .selectors import no_function_categories
from .services import no_function_set


@login_required
def no_function(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_get(user=request.user, pk=body_id)
    declared = no_function_categories(body=body)
    if request.method == "POST":
        require(user=request.user, action="manage", body=body)
        chosen = {code: request.POST.get(f"basis_{code}", "") for code in request.POST.getlist("category")}
        try:
            no_function_set(body=body, actor=request.user, declared=chosen)
        except Invalid as exc:
            messages.error(request, exc.message)
            declared = chosen
        else:
            messages.success(request, "已保存。公开专栏只对已声明的类别显示“本机关无此项职能”。")
            return redirect("portal:no-function", body_id=body.pk)
    counts = category_counts(body=body)
    rows = [(code, f"第二十条{item} {label}", counts.get(code, 0), declared.get(code))
            for code, item, label in ARTICLE_20]
    rows += [(code, f"第二十一条 {label}", None, declared.get(code)) for code, label in ARTICLE_21]
    return render(request, "portal/staff_no_function.html", {
        "body": body, "rows": rows, "can_manage": "manage" in allowed_actions(user=request.user, body=body)})
