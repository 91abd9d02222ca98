"""Issue 12, item 2: the calendar never runs out. A deadline through a year whose holiday notice is not entered
is computed on the statute's provisional calendar and marked 预计 wherever it is shown; entering the notice turns
it into the final one (logged on the case); the administrator is reminded from 1 November."""
from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.utils import timezone

from gongkai.web.applications import services as s
from gongkai.web.applications.digest import digest_text
from gongkai.web.applications.models import Application, EventKind
from gongkai.web.audit.selectors import audit_for
from gongkai.web.clock.models import CalendarYear
from gongkai.web.clock.selectors import calendar_reminders, working_calendar
from gongkai.web.clock.services import calendar_load_notice

D = dt.date
REASON = "2027年放假安排尚未录入，按《全国年节及纪念日放假办法》预计，不含调休"


def _today(monkeypatch, day: dt.date) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)


@pytest.fixture
def december(world, monkeypatch):
    """Today is 21 December 2026 and the 2027 notice is not entered (whatever chinesecalendar holds)."""
    CalendarYear.objects.filter(year__gte=2027).delete()
    _today(monkeypatch, D(2026, 12, 21))
    return world


def test_provisional_deadline_everywhere(december, make_app, client):
    world = december
    app = make_app(received=D(2026, 12, 20))  # a Sunday: received Monday 12-21; only 元旦 falls in the period
    assert app.due_on == D(2027, 1, 19) and app.due_provisional and app.due_note == REASON
    assert app.deadline_status == "open"
    # the staff case page and the list
    client.force_login(world["users"]["handler_a"])
    page = client.get(f"/staff/cases/{app.pk}/").content.decode()
    assert "2027年1月19日" in page and 'id="due-provisional">预计<' in page and REASON in page
    assert "收到申请之日为休息日" in page
    assert "2027-01-19 预计" in client.get("/staff/cases/").content.decode()
    # the API
    r = client.get(f"/api/applications/{app.pk}").json()
    assert r["due_on"] == "2027-01-19" and r["due_provisional"] is True and r["due_provisional_reason"] == REASON
    # the citizen's status page and its API
    r = client.get(f"/api/applications/public/{app.query_code}").json()
    assert r["due_provisional"] is True and r["due_provisional_reason"] == REASON
    assert client.get(f"/api/portal/status?code={app.query_code}").json()["due_provisional"] is True
    client.logout()
    page = client.get(f"/ysqgk/query/?code={app.query_code}").content.decode()
    assert "2027年1月19日（预计）" in page and REASON in page
    # the digest
    text = digest_text(body=app.body, today=D(2027, 1, 14))
    assert "期限 2027-01-19（预计）" in text and f"预计：{REASON}" in text


def test_an_entered_year_is_not_provisional(december, make_app):
    app = make_app(received=D(2026, 11, 2))
    assert app.due_on == D(2026, 11, 30) and not app.due_provisional and app.due_note == ""


def test_entering_the_notice_makes_deadlines_final(december, make_app):
    world = december
    u = world["users"]
    same = make_app(received=D(2026, 12, 21))
    moved = make_app(received=D(2026, 12, 18))
    closed = s.decision_record(application=make_app(received=D(2026, 12, 18)), actor=u["reviewer_a"],
                               on=D(2026, 12, 21), reply_type="granted")
    assert same.due_on == D(2027, 1, 19) and moved.due_on == D(2027, 1, 18)
    assert same.due_provisional and moved.due_provisional and closed.due_provisional
    # the notice, typed with the Chinese keywords (a made-up local holiday on Friday 15 January)
    text = "年度 2027\n2027-01-01至2027-01-03 放假 元旦\n2027-01-15 放假 地方假日\n"
    assert calendar_load_notice(text=text, title="2027年通知（测试）", actor=u["root"]) == [2027]
    for a in (same, moved, closed):
        a.refresh_from_db()
    assert same.due_on == D(2027, 1, 20) and moved.due_on == D(2027, 1, 19)
    assert not same.due_provisional and same.due_note == "" and "预计" not in same.deadline_text
    change = same.events.get(kind=EventKind.DEADLINE_CHANGED)
    assert change.data["before"] == "2027-01-19" and change.data["after"] == "2027-01-20"
    assert change.data["note"].startswith("预计期限改为正式期限") and change.actor_name == "root"
    assert audit_for(subject=same).filter(action="application.deadline_recomputed").count() == 1
    # a closed case keeps the deadline it had
    assert closed.due_on == D(2027, 1, 18) and closed.due_provisional
    assert not closed.events.filter(kind=EventKind.DEADLINE_CHANGED).exists()


def test_a_closed_case_without_a_due_date_gets_one(december, make_app):
    u = december["users"]
    app = s.decision_record(application=make_app(received=D(2026, 12, 18)), actor=u["reviewer_a"],
                            on=D(2026, 12, 21), reply_type="granted")
    # as the defect left it: closed while 2027 was not covered, due_on null for good
    Application.objects.filter(pk=app.pk).update(due_on=None, due_provisional=False, due_note="",
                                                 deadline_status="uncovered")
    assert s.deadlines_recompute_open(reason="补算") == 1
    app.refresh_from_db()
    assert app.due_on == D(2027, 1, 18) and app.due_provisional
    assert app.events.get(kind=EventKind.DEADLINE_CHANGED).data["after"] == "2027-01-18"
    # the migration does the same for the rows that exist when it runs
    Application.objects.filter(pk=app.pk).update(due_on=None, due_provisional=False, due_note="")
    from django.apps import apps

    importlib.import_module("gongkai.web.applications.migrations.0004_due_provisional").fill(apps, None)
    app.refresh_from_db()
    assert app.due_on == D(2027, 1, 18) and app.due_provisional and app.due_note == REASON


def test_calendar_form_starts_empty_and_in_chinese(world, client):
    client.force_login(world["users"]["root"])
    page = client.get("/staff/calendar/").content.decode()
    assert "holiday" not in page and "workday" not in page and ".." not in page
    assert "2027-01-01" not in page  # no guessed year pre-filled
    assert 'id="id_text">\n</textarea>' in page  # empty
    assert "放假/上班" in page and "通知原文" in page


def test_calendar_page_shows_a_provisional_year(december, client):
    client.force_login(december["users"]["clerk_a"])
    page = client.get("/staff/calendar/?year=2027").content.decode()
    assert "2027 年节假日与调休上班日（预计）" in page and REASON in page
    assert "春节（补假）" in page and "放假（预计）" in page
    assert 'name="text"' not in page  # only the system administrator enters notices


def test_reminder_from_1_november_until_the_notice(world, client, monkeypatch):
    CalendarYear.objects.filter(year__gte=2027).delete()
    _today(monkeypatch, D(2026, 10, 31))
    assert calendar_reminders() == []
    _today(monkeypatch, D(2026, 11, 1))
    [reminder] = calendar_reminders()
    assert reminder.startswith(REASON) and "国务院办公厅关于2027年部分节假日安排的通知" in reminder
    for name, sees in (("root", True), ("admin_a", True), ("clerk_a", False)):
        client.force_login(world["users"][name])
        assert ("calendar-reminder" in client.get("/staff/").content.decode()) is sees, name
    assert "calendar-reminder" in client.get("/staff/calendar/").content.decode()
    # a new year without its notice keeps the reminder
    _today(monkeypatch, D(2027, 1, 4))
    assert len(calendar_reminders()) == 1
    calendar_load_notice(text="年度 2027\n2027-01-01 放假 元旦\n", title="2027年通知", actor=world["users"]["root"])
    assert calendar_reminders() == []
    assert 2027 in working_calendar().covered_years and not working_calendar().is_provisional(2027)


def test_a_pasted_official_notice_is_read_by_the_form(world, client):
    from pathlib import Path

    text = (Path(__file__).parents[1] / "law" / "data" / "notice-2025-official.txt").read_text(encoding="utf-8")
    client.force_login(world["users"]["root"])
    r = client.post("/staff/calendar/", {"title": "国务院办公厅关于2025年部分节假日安排的通知", "text": text})
    assert r.status_code == 302
    cal = working_calendar()
    assert not cal.is_working_day(D(2025, 10, 8)) and cal.is_working_day(D(2025, 9, 28))


def test_a_case_counts_as_courts_do(world, make_app):
    """The web case uses the same rules: an e-mail of Sunday 2017-06-18 under the 2007 条例 → 2017-07-10."""
    app = make_app(received=D(2017, 6, 18), channel="email")
    assert app.received_on == D(2017, 6, 18) and app.due_on == D(2017, 7, 10) and not app.due_provisional
    assert app.deadline_text.startswith("收到申请：2017年6月18日（星期日），通过电子邮件提交。\n"
                                        "收到申请之日为休息日，按下一个工作日2017年6月19日（星期一）收到申请计算。")
    assert "（2007年公布）" in app.deadline_text
    ems = make_app(received=D(2022, 9, 30), channel="registered_mail", signed_for_on=D(2022, 9, 30))
    assert ems.due_on == D(2022, 11, 2) and "以行政机关签收之日为收到申请之日" in ems.deadline_text
