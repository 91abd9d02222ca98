from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..applications.models import Application
from ..applications.selectors import applications_visible_to
from ..core.errors import Invalid, NotFound
from ..core.widgets import DateInput
from .models import AppealKind, AppealResult
from .selectors import appeal_get, appeals_visible_to
from .services import appeal_create, appeal_decide

DATE = DateInput()


class AppealForm(forms.Form):
    application = forms.CharField(label="申请编号", max_length=60)
    kind = forms.ChoiceField(label="类型", choices=AppealKind.choices)
    review = forms.IntegerField(label="前置复议案件序号（复议后起诉）", required=False)
    authority = forms.CharField(label="复议机关/法院", max_length=100)
    case_number = forms.CharField(label="案号", max_length=100, required=False)
    filed_on = forms.DateField(label="收到/立案日期", widget=DATE)


class DecideForm(forms.Form):
    result = forms.ChoiceField(label="结果", choices=AppealResult.choices)
    decided_on = forms.DateField(label="审结日期", widget=DATE, required=False)


@login_required
def appeal_list(request: HttpRequest) -> HttpResponse:
    form = AppealForm(request.POST or None, initial={"application": request.GET.get("application", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        app = applications_visible_to(user=request.user).filter(number=data["application"].strip()).first()
        if app is None:
            form.add_error("application", "未找到该申请")
        else:
            review = appeals_visible_to(user=request.user).filter(pk=data["review"]).first() if data["review"] else None
            try:
                appeal_create(application=app, kind=data["kind"], authority=data["authority"],
                              filed_on=data["filed_on"], case_number=data["case_number"], review=review,
                              actor=request.user)
            except Invalid as exc:
                for field, msgs in exc.details.items():
                    form.add_error(field if field in form.fields else None, "；".join(msgs))
                if not exc.details:
                    form.add_error(None, exc.message)
            else:
                messages.success(request, "已登记")
                return redirect("appeals:list")
    appeals = appeals_visible_to(user=request.user).select_related("application", "application__body")[:200]
    return render(request, "appeals/list.html", {"form": form, "appeals": appeals, "decide": DecideForm()})


@login_required
@require_POST
def appeal_result(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = appeal_get(user=request.user, pk=pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        raise Invalid("结果或日期无效", details={k: list(v) for k, v in form.errors.items()})
    appeal_decide(appeal=appeal, actor=request.user, **form.cleaned_data)
    messages.success(request, "已登记结果")
    return redirect("appeals:list")


__all__ = ["Application", "NotFound"]
