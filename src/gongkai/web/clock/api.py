
import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status as HttpStatus

from ..core.errors import Forbidden
from ..core.params import year_param
from .models import CalendarEntry
from .selectors import calendar_years
from .services import calendar_load_notice

router = Router(tags=["工作日历"])


class YearOut(Schema):
    year: int
    source: str
    entries: int


class EntryOut(Schema):
    date: dt.date
    kind: str
    name: str


class NoticeIn(Schema):
    title: str
    text: str


@router.get("/", response=list[YearOut], summary="已录入的年度")
def years(request: HttpRequest) -> Any:
    return [YearOut(year=y.year, source=y.source, entries=y.n) for y in calendar_years()]


@router.get("/{int:year}", response=list[EntryOut], summary="某年的节假日与调休上班日")
def entries(request: HttpRequest, year: int) -> Any:
    year_param(str(year), default=None)  # 400 outside the years the system counts with
    return list(CalendarEntry.objects.filter(date__year=year))


@router.post("/notices", response={201: list[int]}, summary="录入国务院办公厅节假日安排（管理员）")
def load(request: HttpRequest, payload: NoticeIn) -> Any:
    if not request.user.is_superuser:
        raise Forbidden("只有系统管理员可以录入工作日历")
    return HttpStatus(201, calendar_load_notice(text=payload.text, title=payload.title, actor=request.user))
