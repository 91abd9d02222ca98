from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .models import Membership, Role
from .permissions import allowed_actions, require, visible_bodies
from .selectors import body_get
from .services import membership_grant


@login_required
def body_list(request: HttpRequest) -> HttpResponse:
    return render(request, "bodies/list.html", {"bodies": visible_bodies(user=request.user).select_related("parent")})


@login_required
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    body = body_get(user=request.user, pk=pk)
    actions = allowed_actions(user=request.user, body=body)
    if request.method == "POST":
        require(user=request.user, action="manage", body=body)
        username, role = request.POST.get("username", "").strip(), request.POST.get("role", "")
        target = get_user_model().objects.filter(username=username).first()
        if target is None or role not in Role.values:
            messages.error(request, "用户不存在或角色无效")
        else:
            membership_grant(user=target, body=body, role=role, actor=request.user)
            messages.success(request, f"已授予 {username} {Role(role).label} 角色")
        return redirect("bodies:detail", pk=body.pk)
    members = Membership.objects.filter(body=body).select_related("user")
    return render(request, "bodies/detail.html", {"body": body, "members": members, "actions": actions,
                                                  "roles": Role.choices})
