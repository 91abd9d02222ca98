"""The deadline engine: law.md's worked examples, each event kind, and every history it must refuse."""
from datetime import date

import pytest

from gongkai.errors import LawError
from gongkai.law import (
    Channel,
    Closed,
    CorrectionNoticed,
    CorrectionReceived,
    DeadlineSettings,
    DeadlineStatus,
    Extended,
    FeeNoticed,
    FeePaid,
    Pause,
    PauseEnded,
    PauseReason,
    PauseStarted,
    ReasonableDelay,
    Received,
    WorkingCalendar,
    compute_deadline,
    correction_notice_due,
    deadline_change,
    due_date,
    fee_payment_due,
    load_notice,
    proactive_due,
    receipt_date,
    reply_type,
)

D = date


def run(cal, *events, **kw):
    return compute_deadline(list(events), calendar=cal, **kw)


# --- law.md §3, worked examples (2024 calendar) ----------------------------------------------------

def test_example_correction_notice_due(cal):
    dl = run(cal, Received(D(2024, 3, 4)), CorrectionNoticed(D(2024, 3, 8)))
    assert dl.correction_notice_due == D(2024, 3, 13)
    assert correction_notice_due(D(2024, 3, 4), calendar=cal) == D(2024, 3, 13)
    assert dl.due is None and dl.status is DeadlineStatus.AWAITING_CORRECTION


def test_example_corrected_application_restarts(cal):
    dl = run(cal, Received(D(2024, 3, 4)), CorrectionNoticed(D(2024, 3, 8)), CorrectionReceived(D(2024, 3, 20)))
    assert dl.due == D(2024, 4, 18)
    assert dl.restarted and dl.start == D(2024, 3, 20)
    text = dl.text
    assert "重新计算" in text and "4月7日（星期日，清明节）" in text and "清明节4月4日至4月6日" in text


def test_example_extended(cal):
    dl = run(cal, Received(D(2024, 3, 4)), CorrectionNoticed(D(2024, 3, 8)), CorrectionReceived(D(2024, 3, 20)),
             Extended(D(2024, 4, 15), 20, "王主任"))
    assert dl.base_due == D(2024, 4, 18)
    assert dl.due == D(2024, 5, 17)
    assert dl.extension_days == 20 and dl.days_counted == 40
    assert "由2024年4月18日（星期四）延至2024年5月17日（星期五）" in dl.text and "王主任" in dl.text


def test_example_national_day(cal):
    dl = run(cal, Received(D(2024, 9, 27)))
    assert dl.due == D(2024, 10, 30) == due_date(D(2024, 9, 27), calendar=cal)
    lines = dl.explanation
    assert lines[0].startswith("收到申请：2024年9月27日（星期五）")
    assert any("9月29日（星期日，国庆节）" in x and "10月12日（星期六，国庆节）" in x for x in lines)
    assert any("国庆节10月1日至10月7日（7天，其中5天为周一至周五）" in x for x in lines)
    assert lines[-1] == "答复期限届满：2024年10月30日（星期三）。"


# --- pauses ----------------------------------------------------------------------------------------

def test_consultation_pause_is_not_counted(cal):
    dl = run(cal, Received(D(2024, 9, 27)), Pause(D(2024, 10, 8), D(2024, 10, 15), PauseReason.THIRD_PARTY))
    # 10/8–10/15 holds 7 working days (10/12 a make-up Saturday): the due date moves 7 working days on.
    assert dl.paused_days == 7
    assert dl.due == cal.add_working_days(D(2024, 10, 30), 7) == D(2024, 11, 8)
    assert dl.pauses[0].days_not_counted == 7
    assert "征求第三方意见：10月8日至10月15日，其间7个工作日不计入期限" in dl.text


def test_started_and_ended_equal_one_pause(cal):
    a = run(cal, Received(D(2024, 9, 27)), Pause(D(2024, 10, 8), D(2024, 10, 15), PauseReason.INTER_BODY))
    b = run(cal, Received(D(2024, 9, 27)), PauseStarted(D(2024, 10, 8), PauseReason.INTER_BODY),
            PauseEnded(D(2024, 10, 15), PauseReason.INTER_BODY))
    assert a.due == b.due and a.paused_days == b.paused_days and a.explanation == b.explanation


def test_open_pause_stops_the_clock(cal):
    dl = run(cal, Received(D(2024, 9, 27)), PauseStarted(D(2024, 10, 8)), today=D(2024, 10, 20))
    assert dl.due is None
    assert dl.status is DeadlineStatus.PAUSED
    assert dl.days_used == 2  # 9/29 (make-up Sunday) and 9/30
    assert dl.consultation_reply_due == cal.add_working_days(D(2024, 10, 8), 15)
    assert "尚余18个工作日" in dl.text


def test_pause_after_the_due_date_changes_nothing(cal):
    dl = run(cal, Received(D(2024, 9, 27)), Pause(D(2024, 11, 1), D(2024, 11, 20)))
    assert dl.due == D(2024, 10, 30) and dl.paused_days == 0
    late = run(cal, Received(D(2024, 9, 27)), Pause(D(2024, 11, 1), D(2024, 11, 20)), today=D(2024, 11, 5))
    assert late.status is DeadlineStatus.OVERDUE


def test_pause_bounds_are_settings(cal):
    events = [Received(D(2024, 9, 27)), Pause(D(2024, 10, 8), D(2024, 10, 15))]
    s = DeadlineSettings(pause_includes_start=False, pause_includes_end=False)
    dl = compute_deadline(events, calendar=cal, settings=s)
    assert dl.paused_days == 5 and dl.due == cal.add_working_days(D(2024, 10, 30), 5)


def test_paused_today_is_paused(cal):
    dl = run(cal, Received(D(2024, 9, 27)), Pause(D(2024, 10, 8), D(2024, 10, 15)), today=D(2024, 10, 10))
    assert dl.status is DeadlineStatus.PAUSED and dl.due == D(2024, 11, 8)


# --- fees ------------------------------------------------------------------------------------------

def test_fee_notice_pauses_until_payment(cal):
    dl = run(cal, Received(D(2024, 9, 27)), FeeNoticed(D(2024, 10, 8)), FeePaid(D(2024, 10, 15)))
    assert dl.due == D(2024, 11, 8)
    # 20 working days after 10/8, 10/12 being a make-up Saturday
    assert dl.fee_payment_due == fee_payment_due(D(2024, 10, 8), calendar=cal) == D(2024, 11, 4)
    assert "等待缴纳信息处理费" in dl.text and "109号" in dl.text


def test_fee_payment_counts_from_receipt_of_the_notice(cal):
    dl = run(cal, Received(D(2024, 9, 27)), FeeNoticed(D(2024, 10, 8), received=D(2024, 10, 10)))
    assert dl.fee_payment_due == cal.add_working_days(D(2024, 10, 10), 20)


def test_fee_not_paid_lapses_to_no_fee(cal):
    dl = run(cal, Received(D(2024, 9, 27)), FeeNoticed(D(2024, 10, 8)), today=D(2024, 11, 5))
    assert dl.status is DeadlineStatus.LAPSED and dl.lapsed_row == "other.no_fee"
    assert reply_type(dl.lapsed_row).row_key == "other.no_fee"
    still = run(cal, Received(D(2024, 9, 27)), FeeNoticed(D(2024, 10, 8)), today=D(2024, 11, 4))
    assert still.status is DeadlineStatus.PAUSED and still.lapsed_row is None


def test_fee_pause_is_a_setting(cal):
    s = DeadlineSettings(fee_pauses=False)
    dl = compute_deadline([Received(D(2024, 9, 27)), FeeNoticed(D(2024, 10, 8)), FeePaid(D(2024, 10, 15))],
                          calendar=cal, settings=s)
    assert dl.due == D(2024, 10, 30) and dl.paused_days == 0


def test_late_payment_is_warned(cal):
    dl = run(cal, Received(D(2024, 9, 27)), FeeNoticed(D(2024, 10, 8)), FeePaid(D(2024, 11, 20)))
    assert dl.warnings and "逾期缴费" in dl.warnings[0]


# --- correction ------------------------------------------------------------------------------------

def test_correction_not_made_lapses_to_no_correction(cal):
    dl = run(cal, Received(D(2024, 3, 4)), CorrectionNoticed(D(2024, 3, 8), reply_by=D(2024, 3, 22)),
             today=D(2024, 3, 25))
    assert dl.status is DeadlineStatus.LAPSED and dl.lapsed_row == "other.no_correction"
    assert dl.correction_reply_by == D(2024, 3, 22)


def test_late_correction_notice_is_warned(cal):
    dl = run(cal, Received(D(2024, 3, 4)), CorrectionNoticed(D(2024, 3, 14)), CorrectionReceived(D(2024, 3, 20)))
    assert any("补正通知晚于法定期限" in w for w in dl.warnings)
    on_time = run(cal, Received(D(2024, 3, 4)), CorrectionNoticed(D(2024, 3, 13)), CorrectionReceived(D(2024, 3, 20)))
    assert on_time.warnings == ()


def test_pause_before_restart_is_ignored(cal):
    dl = run(cal, Received(D(2024, 3, 4)), Pause(D(2024, 3, 5), D(2024, 3, 8)), CorrectionNoticed(D(2024, 3, 8)),
             CorrectionReceived(D(2024, 3, 20)))
    assert dl.due == D(2024, 4, 18) and dl.paused_days == 0


# --- status ----------------------------------------------------------------------------------------

def test_status_by_today(cal):
    events = [Received(D(2024, 9, 27))]
    assert run(cal, *events).status is DeadlineStatus.OPEN
    dl = run(cal, *events, today=D(2024, 10, 28))
    assert dl.status is DeadlineStatus.OPEN and dl.days_left == 2
    assert run(cal, *events, today=D(2024, 10, 30)).days_left == 0
    over = run(cal, *events, today=D(2024, 11, 4))
    assert over.status is DeadlineStatus.OVERDUE and over.late and over.days_left == -3
    # received on a holiday, counted from that day (the setting off): due Friday 11/1, today Saturday
    as_is = DeadlineSettings(rest_day_receipt_next_working_day=False)
    weekend = run(cal, Received(D(2024, 10, 4)), today=D(2024, 11, 2), settings=as_is)
    assert weekend.due == D(2024, 11, 1)
    assert weekend.status is DeadlineStatus.OVERDUE and weekend.days_left == -1
    # by default the receipt moves to the next working day, Tuesday 10/8: due Monday 11/4
    assert run(cal, Received(D(2024, 10, 4)), today=D(2024, 11, 2)).due == D(2024, 11, 4)


def test_closed(cal):
    dl = run(cal, Received(D(2024, 9, 27)), Closed(D(2024, 10, 31), "granted"), today=D(2024, 12, 1))
    assert dl.status is DeadlineStatus.CLOSED and dl.late and dl.row_key == "granted"
    assert dl.explanation[-2:] == ("答复期限届满：2024年10月30日（星期三）。", "办结：2024年10月31日（星期四），已超过答复期限。")
    ok = run(cal, Received(D(2024, 9, 27)), Closed(D(2024, 10, 30)))
    assert not ok.late


def test_labels_are_chinese():
    assert {s.label for s in DeadlineStatus} >= {"办理中", "已超期", "已办结"}
    assert all(c.label for c in Channel) and all(r.label and r.basis for r in PauseReason)


def test_count_start_day_setting(cal):
    dl = compute_deadline([Received(D(2024, 3, 20))], calendar=cal, settings=DeadlineSettings(count_start_day=True))
    assert dl.due == D(2024, 4, 17)
    assert "自当日起计算" in dl.text


def test_same_day_receipt_first_and_closing_last(cal):
    a = run(cal, Closed(D(2024, 3, 4), "granted"), CorrectionNoticed(D(2024, 3, 4)), Received(D(2024, 3, 4)))
    assert a.status is DeadlineStatus.CLOSED and a.closed == D(2024, 3, 4)


def test_events_of_one_day_keep_their_order(cal):
    day = D(2024, 10, 9)
    ok = run(cal, Received(D(2024, 10, 1)), FeeNoticed(day), FeePaid(day))
    assert ok.fee_payment_due is not None
    with pytest.raises(LawError, match="没有收费通知"):
        run(cal, Received(D(2024, 10, 1)), FeePaid(day), FeeNoticed(day))


def test_events_are_replayed_in_date_order(cal):
    a = run(cal, Received(D(2024, 3, 4)), CorrectionNoticed(D(2024, 3, 8)), CorrectionReceived(D(2024, 3, 20)))
    b = run(cal, CorrectionReceived(D(2024, 3, 20)), Received(D(2024, 3, 4)), CorrectionNoticed(D(2024, 3, 8)))
    assert a == b


# --- refused histories -----------------------------------------------------------------------------

@pytest.mark.parametrize(("events", "message"), [
    ([], "缺少收到申请"),
    ([Received(D(2024, 3, 4)), Received(D(2024, 3, 5))], "只能有一个收到日期"),
    ([Received(D(2024, 3, 4)), Extended(D(2024, 3, 5), 10, "王"), Extended(D(2024, 3, 6), 5, "王")], "只能延长一次"),
    ([Received(D(2024, 3, 4)), Extended(D(2024, 3, 5), 21, "王")], "最长不得超过20个工作日"),
    ([Received(D(2024, 3, 4)), Extended(D(2024, 3, 5), 0, "王")], "正整数"),
    ([Received(D(2024, 3, 4)), Extended(D(2024, 3, 5), 10, " ")], "负责人"),
    ([Received(D(2024, 3, 4)), Extended(D(2024, 4, 2), 10, "王")], "期限届满"),
    ([Received(D(2024, 3, 4)), FeePaid(D(2024, 3, 5))], "没有收费通知"),
    ([Received(D(2024, 3, 4)), PauseEnded(D(2024, 3, 5))], "无法结束暂停"),
    ([Received(D(2024, 3, 4)), PauseStarted(D(2024, 3, 5)), PauseStarted(D(2024, 3, 6))], "尚未结束"),
    ([Received(D(2024, 3, 4)), Pause(D(2024, 3, 8), D(2024, 3, 5))], "早于开始日期"),
    ([CorrectionNoticed(D(2024, 3, 1)), Received(D(2024, 3, 4))], "早于收到申请"),
    ([Received(D(2024, 3, 4)), CorrectionNoticed(D(2024, 3, 5)), CorrectionNoticed(D(2024, 3, 6))], "一次性告知"),
    ([Received(D(2024, 3, 4)), Closed(D(2024, 3, 5)), FeeNoticed(D(2024, 3, 6))], "办结"),
    ([Received(D(2024, 3, 4)), "补正"], "无法识别"),
    ([Received(D(2024, 3, 4)), Extended(D(2024, 3, 5), 5, "王"), CorrectionNoticed(D(2024, 3, 6)),
      CorrectionReceived(D(2024, 3, 11))], "早于答复期限的起算日"),
    ([Received(D(2003, 5, 6))], "2003年的工作日历尚未录入"),
])
def test_refused(cal, events, message):
    with pytest.raises(LawError, match=message):
        compute_deadline(events, calendar=cal)


def test_extension_limit_is_a_setting(cal):
    with pytest.raises(LawError, match="不得超过10个工作日"):
        compute_deadline([Received(D(2024, 3, 4)), Extended(D(2024, 3, 5), 15, "王")], calendar=cal,
                         settings=DeadlineSettings(max_extension_days=10))
    with pytest.raises(LawError):
        DeadlineSettings(reply_days=0)


# --- receipt date (第三十一条) and the single questions -----------------------------------------------

@pytest.mark.parametrize(("channel", "kw", "expected"), [
    (Channel.IN_PERSON, {}, D(2024, 3, 4)),
    (Channel.ORAL, {}, D(2024, 3, 4)),
    ("in_person", {"signed_for": D(2024, 3, 9)}, D(2024, 3, 4)),
    (Channel.REGISTERED_MAIL, {"signed_for": D(2024, 3, 6)}, D(2024, 3, 6)),
    (Channel.ORDINARY_MAIL, {"confirmed": D(2024, 3, 8)}, D(2024, 3, 8)),
    (Channel.ONLINE, {"confirmed": D(2024, 3, 5)}, D(2024, 3, 5)),
    (Channel.FAX, {"confirmed": D(2024, 3, 4)}, D(2024, 3, 4)),
])
def test_receipt_date(channel, kw, expected):
    assert receipt_date(channel, submitted=D(2024, 3, 4), **kw) == expected


@pytest.mark.parametrize(("channel", "kw", "message"), [
    (Channel.REGISTERED_MAIL, {}, "签收日期"),
    (Channel.ORDINARY_MAIL, {}, "确认日期"),
    (Channel.ONLINE, {"confirmed": D(2024, 3, 1)}, "早于提交日期"),
])
def test_receipt_date_refused(channel, kw, message):
    with pytest.raises(LawError, match=message):
        receipt_date(channel, submitted=D(2024, 3, 4), **kw)


def test_proactive_due(cal):
    assert proactive_due(D(2024, 9, 27), calendar=cal) == D(2024, 10, 30)


# --- recomputation when the calendar changes ------------------------------------------------------------

def test_deadline_change_after_a_calendar_change(cal):
    events = [Received(D(2024, 9, 27))]
    before = compute_deadline(events, calendar=cal)
    # a region's 2024 without the make-up days 9/29 and 10/12
    region = cal.merged(load_notice("year 2024\n2024-10-01..2024-10-07 holiday 国庆节\n"))
    after = compute_deadline(events, calendar=region)
    assert after.due == D(2024, 11, 1)  # 9/30, 10/8–11, 14–18, 21–25, 28–31, 11/1
    line = deadline_change(before, after)
    assert line == ("答复期限由2024年10月30日（星期三）改为2024年11月1日（星期五）；"
                    "补正通知期限由2024年10月12日（星期六）改为2024年10月15日（星期二）。")
    assert deadline_change(before, compute_deadline(events, calendar=cal)) is None


def test_deadline_change_reports_status(cal):
    a = compute_deadline([Received(D(2024, 9, 27))], calendar=cal, today=D(2024, 10, 29))
    b = compute_deadline([Received(D(2024, 9, 27))], calendar=cal, today=D(2024, 10, 31))
    assert deadline_change(a, b) == "状态由“办理中”改为“已超期”。"


def test_assumed_weekends_are_stated(cal):
    lenient = WorkingCalendar(cal.entries(), covered_years=cal.covered_years, assume_weekends=True)
    dl = compute_deadline([Received(D(2026, 12, 20))], calendar=lenient)
    assert dl.assumed_years == (2027,)
    assert any("2027年的节假日安排尚未录入" in x and "仅按周六、周日休息推算" in x for x in dl.explanation)
    assert compute_deadline([Received(D(2024, 9, 27))], calendar=lenient).assumed_years == ()


# --- 第三十五条: a reasonable but voluminous request gets a later date ----------------------------------------

def test_reasonable_delay(cal):
    dl = run(cal, Received(D(2024, 9, 27)), ReasonableDelay(D(2024, 10, 20), D(2024, 12, 31), "申请公开三十年档案"),
             today=D(2024, 11, 15))
    assert dl.base_due == D(2024, 10, 30) and dl.due == D(2024, 12, 31)
    assert dl.status is DeadlineStatus.OPEN and dl.days_left > 0
    assert "第三十五条" in dl.text and "申请公开三十年档案" in dl.text
    assert dl.explanation[-1] == "答复期限届满：2024年12月31日（星期二）。"


@pytest.mark.parametrize(("delay", "message"), [
    (ReasonableDelay(D(2024, 11, 5), D(2024, 12, 31)), "前确定"),
    (ReasonableDelay(D(2024, 10, 8), D(2024, 10, 29)), "应晚于答复期限"),
    (ReasonableDelay(D(2024, 10, 8), D(2024, 10, 8)), "应晚于作出决定之日"),
])
def test_reasonable_delay_refused(cal, delay, message):
    with pytest.raises(LawError, match=message):
        run(cal, Received(D(2024, 9, 27)), delay)
    with pytest.raises(LawError, match="只能确定一次"):
        run(cal, Received(D(2024, 9, 27)), ReasonableDelay(D(2024, 10, 8), D(2024, 12, 1)),
            ReasonableDelay(D(2024, 10, 9), D(2024, 12, 2)))
