from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from ...errors import GongkaiError
from ..core.errors import Forbidden
from .models import CalendarEntry
from .selectors import calendar_years
from .services import calendar_load_notice

EXAMPLE = """# 国务院办公厅关于2027年部分节假日安排的通知
year 2027
2027-01-01..2027-01-03 holiday 元旦
"""


class NoticeForm(forms.Form):
    title = forms.CharField(label="通知名称", max_length=200)
    text = forms.CharField(label="节假日安排（每行：日期或日期范围 类型 名称；类型为 放假 或 上班）",
                           widget=forms.Textarea(attrs={"rows": 14}))


@login_required
def calendar_index(request: HttpRequest) -> HttpResponse:
    form = NoticeForm(request.POST or None, initial={"text": EXAMPLE})
    if request.method == "POST":
        if not request.user.is_superuser:
            raise Forbidden("只有系统管理员可以录入工作日历")
        if form.is_valid():
            try:
                years = calendar_load_notice(actor=request.user, **form.cleaned_data)
            except GongkaiError as exc:
                form.add_error("text", str(exc))
            else:
                messages.success(request, f"已录入{'、'.join(map(str, years))}年工作日历，未办结申请的期限已重新计算")
                return redirect("clock:index")
    year = int(request.GET.get("year") or timezone.localdate().year)
    entries = CalendarEntry.objects.filter(date__year=year)
    return render(request, "clock/index.html", {"years": calendar_years(), "form": form, "year": year,
                                                "entries": entries, "dt": dt})
