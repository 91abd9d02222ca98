from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from ...errors import GongkaiError
from ...law.statute import STATUTE, provisional_reason
from ..core.errors import Forbidden
from ..core.params import year_param
from .models import CalendarEntry
from .selectors import calendar_reminders, calendar_years, working_calendar
from .services import calendar_load_notice

TEXT_HELP = ("可直接粘贴国务院办公厅通知原文；或逐行填写“日期或日期范围 放假/上班 名称”，"
             "日期范围用“至”连接，年份可在首行写“年度 ××××”后省略。录入后替换该年度的全部数据。")


class NoticeForm(forms.Form):
    title = forms.CharField(label="通知名称", max_length=200,
                            widget=forms.TextInput(attrs={"placeholder": "国务院办公厅关于××××年部分节假日安排的通知"}))
    text = forms.CharField(label="节假日安排（通知原文，或每行：日期或日期范围 放假/上班 名称）",
                           widget=forms.Textarea(attrs={"rows": 14}))


@login_required
def calendar_index(request: HttpRequest) -> HttpResponse:
    form = NoticeForm(request.POST or None)  # starts empty: the next year is never guessed here
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
    year = year_param(request.GET.get("year"), default=timezone.localdate().year)
    entries: list = list(CalendarEntry.objects.filter(date__year=year))
    provisional = False
    if not entries and 2000 <= year <= 2199:
        cal = working_calendar()
        if cal.is_provisional(year):
            provisional = True
            entries = cal.provisional_entries(year)
    return render(request, "clock/index.html", {
        "years": calendar_years(), "form": form, "year": year, "entries": entries, "dt": dt,
        "provisional": provisional, "provisional_reason": provisional_reason([year]) if provisional else "",
        "statute": STATUTE, "reminders": calendar_reminders(), "text_help": TEXT_HELP})
