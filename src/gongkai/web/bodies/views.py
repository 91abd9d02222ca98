from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ..core.errors import Forbidden, Invalid
from .models import BodyKindChoices, LevelChoices, Membership, Role
from .permissions import allowed_actions, require, visible_bodies
from .selectors import body_get
from .services import SETTINGS_FIELDS, body_create, body_update_settings, membership_grant, user_create


@login_required
def body_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if not request.user.is_superuser:
            raise Forbidden("只有系统管理员可以新增机关")
        p = request.POST
        parent = visible_bodies(user=request.user).filter(pk=p.get("parent") or 0).first()
        try:
            if p.get("kind") not in BodyKindChoices.values or p.get("level") not in LevelChoices.values:
                raise Invalid("请选择机关类型和层级")
            if not p.get("name", "").strip() or not p.get("short_name", "").strip():
                raise Invalid("请填写机关全称和简称")
            body = body_create(name=p["name"].strip(), short_name=p["short_name"].strip(), kind=p["kind"],
                               level=p["level"], parent=parent, actor=request.user)
        except Invalid as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已新增机关：{body.name}")
        return redirect("bodies:list")
    return render(request, "bodies/list.html", {"bodies": visible_bodies(user=request.user).select_related("parent"),
                                                "kinds": BodyKindChoices.choices, "levels": LevelChoices.choices})


@login_required
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    body = body_get(user=request.user, pk=pk)
    actions = allowed_actions(user=request.user, body=body)
    if request.method == "POST":
        require(user=request.user, action="manage", body=body)
        username, role = request.POST.get("username", "").strip(), request.POST.get("role", "")
        password = request.POST.get("password", "")
        target = get_user_model().objects.filter(username=username).first()
        if role not in Role.values or not username:
            messages.error(request, "请填写用户名并选择角色")
        elif target is None and len(password) < 8:
            messages.error(request, f"用户 {username} 不存在；新建用户请设置至少8位的初始密码")
        else:
            try:
                if target is None:
                    target = user_create(username=username, password=password,
                                         full_name=request.POST.get("full_name", "").strip(), actor=request.user)
                membership_grant(user=target, body=body, role=role, actor=request.user)
            except Invalid as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"已授予 {username} {Role(role).label} 角色")
        return redirect("bodies:detail", pk=body.pk)
    members = Membership.objects.filter(body=body).select_related("user")
    return render(request, "bodies/detail.html", {"body": body, "members": members, "actions": actions,
                                                  "roles": Role.choices,
                                                  "default_index_pattern": settings.GONGKAI_INDEX_PATTERN})


@login_required
def body_settings(request: HttpRequest, pk: int) -> HttpResponse:
    """The 统一社会信用代码, 索引号 pattern and local annual-report deadline (POST, 管理员)."""
    body = body_get(user=request.user, pk=pk)
    if request.method == "POST":
        try:  # body_update_settings requires 管理 (a Forbidden passes through to the 403 page)
            body_update_settings(body=body, actor=request.user,
                                 **{f: request.POST.get(f, "")[:200] for f in SETTINGS_FIELDS if f in request.POST})
        except Invalid as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已保存机关设置")
    return redirect("bodies:detail", pk=body.pk)
