"""Staff pages for letters (draft with the gate's findings, issue, download; templates and settings per body) and
the applicant's download by query code."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ..applications.selectors import application_get
from ..bodies.permissions import allowed_actions, bodies_for, can, visible_bodies
from ..bodies.selectors import body_get
from ..core.errors import Forbidden, Invalid, NotFound, WebError
from . import forms, services
from .gate import CHECKS
from .kinds import KINDS, PLACEHOLDERS, kind_label
from .selectors import letter_get, letter_public, letters_for_application, template_rows, template_versions
from .settings import letter_settings

TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf"}


def _file(letter: Any, fmt: str) -> HttpResponse:
    if fmt not in TYPES:
        raise NotFound("未知的文件格式")
    data = bytes(letter.docx if fmt == "docx" else letter.pdf)
    response = HttpResponse(data, content_type=TYPES[fmt])
    name = f"{letter.number}{letter.title}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename=letter-{letter.pk}.{fmt}; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def letter_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return _file(letter_get(user=request.user, pk=pk), fmt)


def public_download(request: HttpRequest, code: str, pk: int, fmt: str) -> HttpResponse:
    return _file(letter_public(query_code=code, pk=pk), fmt)


@login_required
def letter_draft(request: HttpRequest, app_id: int, key: str) -> HttpResponse:
    """GET: the letter as it would be issued, with the gate's findings; POST: issue it."""
    app = application_get(user=request.user, pk=app_id)
    kind = KINDS.get(key)
    if kind is None:
        raise NotFound("未知的文书类型")
    offered = {k: (d, why) for k, d, why in services.available(app)}
    if key not in offered:
        raise NotFound("本件当前不能出具该文书")
    default_on, why = offered[key]
    data = request.POST if request.method == "POST" else (request.GET if "on" in request.GET else None)
    initial: dict[str, Any] = {"on": default_on}
    if "party" in kind.fields:
        party = services.consulted_party(app)
        initial |= {"party_name": party.name, "party_organisation": party.is_organisation, "party_phone": party.phone,
                    "party_id_number": party.id_number, "party_address": party.address} if party else {}
    form = forms.IssueForm(data, kind=kind, initial=initial)
    facts: dict[str, Any] = {}
    on = default_on
    if form.is_bound and form.is_valid():
        facts = {k: v for k, v in form.cleaned_data.items() if k != "on"}
        on = form.cleaned_data["on"]
    permitted = can(user=request.user, action=services.issuing_action(key), body=app.body)
    may_issue = permitted and not why
    status = 200
    if request.method == "POST":
        if not permitted:
            raise Forbidden("您在该机关没有出具该文书的权限")
        if form.is_valid():
            try:
                letter = services.letter_issue(application=app, actor=request.user, key=key, on=on, facts=facts)
            except Invalid as exc:
                if "findings" not in exc.details:
                    for field, msgs in exc.details.items():
                        for m in msgs if field in form.fields else []:
                            form.add_error(field, m)
                messages.error(request, exc.message)
                status = 422
            else:
                messages.success(request, f"已出具{kind.label}：{letter.number}")
                return redirect("applications:detail", pk=app.pk)
        else:
            status = 422
    try:
        d = services.draft(application=app, key=key, on=on, facts=facts)
    except Invalid as exc:
        d = None
        if request.method == "GET":
            form.add_error(None, exc.message)
    return render(request, "letters/draft.html", {
        "app": app, "kind": kind, "key": key, "form": form, "draft": d, "why": why, "may_issue": may_issue,
        "checks": CHECKS}, status=status)


def _managed_body(request: HttpRequest, body_id: int) -> Any:
    body = body_get(user=request.user, pk=body_id)
    if not can(user=request.user, action="manage", body=body):
        raise Forbidden("只有本机关的管理员可以修改文书模板和设置")
    return body


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    bodies = list(visible_bodies(user=request.user))
    if not bodies:
        raise NotFound("您没有可查看的机关")
    managed = list(bodies_for(user=request.user, action="manage"))
    chosen = request.GET.get("body")
    default = (managed or bodies)[0].pk
    body = body_get(user=request.user, pk=int(chosen) if chosen and chosen.isdigit() else default)
    return render(request, "letters/templates.html", {
        "body": body, "bodies": bodies, "rows": template_rows(body=body), "settings": letter_settings(body),
        "may_manage": "manage" in allowed_actions(user=request.user, body=body)})


@login_required
def template_edit(request: HttpRequest, body_id: int, key: str) -> HttpResponse:
    body = body_get(user=request.user, pk=body_id)
    kind = KINDS.get(key)
    if kind is None:
        raise NotFound("未知的文书类型")
    may_manage = can(user=request.user, action="manage", body=body)
    current = services.current_template(body, key)
    form = forms.TemplateForm(request.POST or None, initial={"title": current.title, "text": current.text})
    if request.method == "POST":
        if not may_manage:
            raise Forbidden("只有本机关的管理员可以修改文书模板")
        if form.is_valid():
            try:
                tpl = services.template_save(body=body, key=key, actor=request.user, **form.cleaned_data)
            except Invalid as exc:
                for field, msgs in exc.details.items():
                    for m in msgs:
                        form.add_error(field if field in form.fields else None, m)
            else:
                messages.success(request, f"模板已保存为第{tpl.version}版")
                return redirect(f"{reverse('letters:templates')}?body={body.pk}")
    label = kind_label(key)
    return render(request, "letters/template_edit.html", {
        "body": body, "kind": kind, "label": label, "form": form, "versions": template_versions(body=body, key=key),
        "current": current, "placeholders": PLACEHOLDERS, "may_manage": may_manage},
        status=422 if form.errors else 200)


@login_required
def settings_edit(request: HttpRequest, body_id: int) -> HttpResponse:
    """Everyone who sees the body reads its settings; its 管理员 changes them."""
    body = _managed_body(request, body_id) if request.method == "POST" else body_get(user=request.user, pk=body_id)
    may_manage = can(user=request.user, action="manage", body=body)
    s = letter_settings(body)
    form = forms.SettingsForm(request.POST or None, initial={
        "letter_prefix": body.letter_prefix or s.prefix, "review_authority": body.review_authority or s.review_authority,
        "court": body.court or s.court})
    if request.method == "POST" and form.is_valid():
        services.body_letter_settings_save(body=body, actor=request.user, **form.cleaned_data)
        messages.success(request, "文书设置已保存")
        return redirect(f"{reverse('letters:templates')}?body={body.pk}")
    if not may_manage:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "letters/settings.html", {"body": body, "form": form, "settings": s,
                                                     "may_manage": may_manage})


def case_letters_context(app: Any, user: Any) -> dict[str, Any]:
    """For the case page: letters issued, letters that can be issued now, and (while 待审核) the reply's findings."""
    letters = list(letters_for_application(app))
    offered = []
    for key, _on, why in services.available(app):
        offered.append({"key": key, "label": kind_label(key), "why": why,
                        "issued": [x for x in letters if x.key == key]})
    review = None
    reply_key = f"reply.{app.reply_type}" if app.reply_type else ""
    if reply_key and not any(x.key == reply_key for x in letters):
        try:
            review = services.draft(application=app, key=reply_key)
        except WebError:  # e.g. a partial reply whose withheld part is chosen only when issuing
            review = None
    return {"app": app, "letters": letters, "offered": offered, "review": review,
            "may_handle": can(user=user, action="handle", body=app.body),
            "may_register": can(user=user, action="register", body=app.body)}
