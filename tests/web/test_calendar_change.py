"""The calendar is data: changing it mid-case recomputes open deadlines and logs the change on each case."""
from __future__ import annotations

import datetime as dt

import pytest

from gongkai.errors import LawError
from gongkai.law.calendar import dump_notice, load_notice
from gongkai.web.applications import services as s
from gongkai.web.applications.models import EventKind
from gongkai.web.audit.selectors import audit_for
from gongkai.web.clock.models import CalendarEntry, CalendarYear
from gongkai.web.clock.selectors import working_calendar
from gongkai.web.clock.services import calendar_load_notice

D = dt.date
NOTICE_2027 = """# 国务院办公厅关于2027年部分节假日安排的通知（测试用）
year 2027
2027-01-01..2027-01-03 holiday 元旦
2027-02-05..2027-02-11 holiday 春节
2027-02-20 workday 春节
"""


def next_year_notice() -> tuple[int, str, dt.date]:
    """A notice for the first year the seeded calendar does not cover (2027 with chinesecalendar 1.11)."""
    year = max(working_calendar().covered_years) + 1
    saturday = next(D(year, 2, d) for d in range(1, 8) if D(year, 2, d).weekday() == 5)
    text = (f"# 国务院办公厅关于{year}年部分节假日安排的通知（测试用）\nyear {year}\n"
            f"{year}-01-01..{year}-01-03 holiday 元旦\n{saturday.isoformat()} workday 春节\n")
    return year, text, saturday


def _year_text(year: int, extra: str = "") -> str:
    return dump_notice(working_calendar(), [year]) + extra


def test_seeded_from_chinesecalendar(db):
    years = set(CalendarYear.objects.values_list("year", flat=True))
    assert {2019, 2024, 2025, 2026} <= years
    assert CalendarEntry.objects.get(date=D(2024, 10, 1)).kind == "holiday"
    assert CalendarEntry.objects.get(date=D(2024, 9, 29)).kind == "makeup_workday"


def test_calendar_change_mid_case_recomputes_and_logs(world, make_app):
    u = world["users"]
    open_case = make_app(received=D(2024, 9, 27))
    closed_case = s.decision_record(application=make_app(received=D(2024, 9, 27)), actor=u["reviewer_a"],
                                    on=D(2024, 10, 9), reply_type="granted")
    assert open_case.due_on == D(2024, 10, 30)
    original = _year_text(2024)
    # A (fictional) regional notice makes 8 October a holiday too.
    years = calendar_load_notice(text=_year_text(2024, "2024-10-08 holiday 地方假日\n"), title="地方补充通知",
                                 actor=u["root"])
    assert years == [2024]
    open_case.refresh_from_db()
    closed_case.refresh_from_db()
    assert open_case.due_on == D(2024, 10, 31)
    assert "地方假日" in open_case.deadline_text
    change = open_case.events.get(kind=EventKind.DEADLINE_CHANGED)
    assert change.data == {"before": "2024-10-30", "after": "2024-10-31", "reason": "录入节假日安排：地方补充通知"}
    assert change.actor_name == "root"
    assert audit_for(subject=open_case).filter(action="application.deadline_recomputed").count() == 1
    assert closed_case.events.filter(kind=EventKind.DEADLINE_CHANGED).count() == 0
    # Loading the same calendar again changes nothing and logs nothing; going back logs the change back.
    calendar_load_notice(text=_year_text(2024), title="同一通知", actor=u["root"])
    assert open_case.events.filter(kind=EventKind.DEADLINE_CHANGED).count() == 1
    calendar_load_notice(text=original, title="恢复原通知", actor=u["root"])
    open_case.refresh_from_db()
    assert open_case.due_on == D(2024, 10, 30)
    assert open_case.events.filter(kind=EventKind.DEADLINE_CHANGED).count() == 2


def test_missing_year_is_provisional_until_the_notice(world, make_app):
    text_2025 = _year_text(2025)
    CalendarYear.objects.filter(year=2025).delete()  # as if the 2025 notice had not been entered yet
    app = make_app(received=D(2024, 12, 20))
    # counted on the statute's 2025 (元旦 1 January only): an estimate, said so
    assert app.due_on == D(2025, 1, 20) and app.due_provisional
    assert app.due_note == "2025年放假安排尚未录入，按《全国年节及纪念日放假办法》预计，不含调休"
    assert "预计：2025年放假安排尚未录入" in app.deadline_text
    calendar_load_notice(text=text_2025, title="国务院办公厅关于2025年部分节假日安排的通知", actor=world["users"]["root"])
    app.refresh_from_db()
    assert app.due_on == D(2025, 1, 20) and not app.due_provisional and app.due_note == ""  # 23 Dec … 20 Jan
    change = app.events.get(kind=EventKind.DEADLINE_CHANGED)
    assert change.data["after"] == change.data["before"] == "2025-01-20"
    assert change.data["note"].startswith("预计期限改为正式期限")
    assert audit_for(subject=app).filter(action="application.deadline_recomputed").count() == 1


def test_next_year_notice_is_addable(world):
    year, text, saturday = next_year_notice()
    # before the notice: counted on the statute's provisional calendar, never refused
    assert working_calendar().count(D(year - 1, 12, 21), 20).provisional_years == (year,)
    calendar_load_notice(text=text, title=f"{year}年通知", actor=world["users"]["root"])
    cal = working_calendar()
    assert year in cal.covered_years and cal.is_working_day(saturday) and not cal.is_working_day(D(year, 1, 1))
    assert cal == cal.merged(load_notice(text))
    assert cal.add_working_days(D(year - 1, 12, 21), 20) > D(year, 1, 3)


def test_bad_notice_changes_nothing(world):
    before = CalendarEntry.objects.count()
    with pytest.raises(LawError):
        calendar_load_notice(text="year 2027\n2027-02-22 workday 春节\n", title="x", actor=world["users"]["root"])
    assert CalendarEntry.objects.count() == before


def test_calendar_page_and_api_are_for_administrators(world, client):
    year, NOTICE_NEXT, _ = next_year_notice()
    client.force_login(world["users"]["admin_a"])
    assert client.post("/staff/calendar/", {"title": "x", "text": NOTICE_NEXT}).status_code == 403
    r = client.post("/api/calendar/notices", {"title": "x", "text": NOTICE_NEXT}, content_type="application/json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    client.force_login(world["users"]["root"])
    r = client.post("/staff/calendar/", {"title": f"{year}年通知", "text": NOTICE_NEXT})
    assert r.status_code == 302
    assert CalendarYear.objects.get(year=year).source == f"{year}年通知"
    r = client.post("/api/calendar/notices", {"title": "2027年通知（接口）", "text": NOTICE_2027},
                    content_type="application/json")
    assert r.status_code == 201 and r.json() == [2027]
    r = client.post("/staff/calendar/", {"title": "坏", "text": "year 2027\n2027-13-01 holiday 错\n"})
    assert r.status_code == 200 and "日期不存在" in r.content.decode()
