"""The clock as courts count it (law.md §3.1): the 条例 in force on the receipt date, the receipt day by channel,
a receipt on a rest day, and other recorded pauses. One worked example per rule."""
from datetime import date

import pytest

from gongkai.errors import LawError
from gongkai.law import (
    Channel,
    CorrectionNoticed,
    CorrectionReceived,
    DeadlineSettings,
    Extended,
    Pause,
    PauseReason,
    Received,
    compute_deadline,
    effective_receipt,
    rules_for,
)

D = date


def run(cal, *events, **kw):
    return compute_deadline(list(events), calendar=cal, **kw)


# --- which 条例 --------------------------------------------------------------------------------------------

def test_2008_rules_worked_example(cal):
    """law.md: received Thu 2015-06-25 under the 2008 条例 (15 working days) → 2015-07-16."""
    dl = run(cal, Received(D(2015, 6, 25)))
    assert dl.due == D(2015, 7, 16) and dl.rules == "2008" and dl.days_counted == 15
    assert dl.explanation[1] == ("适用规则：收到申请之日在2019年5月15日之前，适用《中华人民共和国政府信息公开条例》"
                                 "（2007年公布），15个工作日内答复，可延长不超过15个工作日（第二十四条第二款）。")
    assert "计算15个工作日（第二十四条第二款）" in dl.text and "第三十三条" not in dl.text
    assert "第三十一条" not in dl.text  # the 2008 text has no article on the receipt day


def test_the_day_the_2019_rules_begin(cal):
    before, after = run(cal, Received(D(2019, 5, 14))), run(cal, Received(D(2019, 5, 15)))
    assert (before.rules, before.due) == ("2008", D(2019, 6, 4))  # 15 working days
    assert (after.rules, after.due) == ("2019", D(2019, 6, 13))  # 20 working days, 端午 6/7 skipped
    assert "（2019年修订）" in after.explanation[1] and "第三十三条第一款" in after.explanation[1]
    assert rules_for(D(2019, 5, 14)).reply_days == 15 and rules_for(D(2019, 5, 15)).reply_days == 20


def test_2008_extension_is_at_most_15(cal):
    dl = run(cal, Received(D(2015, 6, 25)), Extended(D(2015, 7, 10), 15, "王主任"))
    assert dl.due == cal.add_working_days(D(2015, 7, 16), 15) and "第二十四条第二款" in dl.text
    with pytest.raises(LawError, match="不得超过15个工作日（第二十四条第二款）"):
        run(cal, Received(D(2015, 6, 25)), Extended(D(2015, 7, 10), 20, "王主任"))


def test_2008_has_no_correction_notice_limit(cal):
    dl = run(cal, Received(D(2015, 6, 25)), CorrectionNoticed(D(2015, 7, 20)), CorrectionReceived(D(2015, 7, 27)))
    assert dl.correction_notice_due is None and not dl.warnings
    assert dl.due == cal.add_working_days(D(2015, 7, 27), 15)
    assert "参照2019年修订条例第三十条" in dl.text


def test_rules_can_be_forced(cal):
    dl = run(cal, Received(D(2015, 6, 25)), settings=DeadlineSettings(rules="2019"))
    assert dl.rules == "2019" and dl.days_counted == 20 and "按期限设置" in dl.explanation[1]
    with pytest.raises(LawError):
        DeadlineSettings(rules="2007")


# --- the receipt day by channel (第三十一条) -----------------------------------------------------------------

def test_court_example_ems_signed_for(cal):
    """A court's figures: an EMS letter signed for on Fri 2022-09-30 → due 2022-11-02 (国庆 skipped, 10/8–9 worked)."""
    dl = run(cal, Received(D(2022, 9, 30), Channel.REGISTERED_MAIL))
    assert dl.due == D(2022, 11, 2)
    assert dl.explanation[0] == ("收到申请：2022年9月30日（星期五），以邮寄方式提交（挂号信、EMS等需签收），"
                                 "以行政机关签收之日为收到申请之日（第三十一条第（二）项）。")


@pytest.mark.parametrize(("channel", "says"), [
    (Channel.IN_PERSON, "当面提交，以提交之日为收到申请之日（第三十一条第（一）项）"),
    (Channel.ORAL, "口头提出（由行政机关代为填写），以提交之日为收到申请之日（第三十一条第（一）项）"),
    (Channel.ORDINARY_MAIL, "以平常信函等无需签收的邮寄方式提交，以与申请人确认之日为收到申请之日（第三十一条第（二）项）"),
    (Channel.ONLINE, "通过互联网渠道提交，以双方确认之日为收到申请之日（第三十一条第（三）项）"),
    (Channel.EMAIL, "通过电子邮件提交，以双方确认之日为收到申请之日（第三十一条第（三）项）"),
    (Channel.FAX, "通过政府信息公开工作机构的传真提交，以双方确认之日为收到申请之日（第三十一条第（三）项）"),
])
def test_the_explanation_names_the_channel(cal, channel, says):
    dl = run(cal, Received(D(2024, 9, 27), channel))
    assert dl.explanation[0] == f"收到申请：2024年9月27日（星期五），{says}。"
    assert dl.due == D(2024, 10, 30)


# --- a receipt on a rest day ------------------------------------------------------------------------------

def test_sunday_email_is_received_on_monday(cal):
    """law.md: an e-mail of Sun 2017-06-18 → received Mon 2017-06-19 (2008 rules, 15 working days) → 2017-07-10."""
    dl = run(cal, Received(D(2017, 6, 18), Channel.EMAIL))
    assert dl.due == D(2017, 7, 10) and dl.start == dl.counted_from == D(2017, 6, 19)
    assert dl.explanation[:2] == ("收到申请：2017年6月18日（星期日），通过电子邮件提交。",
                                  "收到申请之日为休息日，按下一个工作日2017年6月19日（星期一）收到申请计算。")
    assert effective_receipt(D(2017, 6, 18), calendar=cal) == D(2017, 6, 19)
    # the setting off: counted from the Sunday itself
    as_is = run(cal, Received(D(2017, 6, 18), Channel.EMAIL),
                settings=DeadlineSettings(rest_day_receipt_next_working_day=False))
    assert as_is.due == D(2017, 7, 7) and as_is.counted_from is None


def test_receipt_in_a_holiday_and_on_a_makeup_day(cal):
    # received during 国庆 2024 → Tuesday 10/8 (a working day); Sunday 9/29 was a make-up working day: unchanged
    assert run(cal, Received(D(2024, 10, 3), Channel.ONLINE)).counted_from == D(2024, 10, 8)
    assert run(cal, Received(D(2024, 9, 29), Channel.ONLINE)).counted_from is None


def test_corrected_application_on_a_rest_day(cal):
    dl = run(cal, Received(D(2024, 3, 4)), CorrectionNoticed(D(2024, 3, 8)), CorrectionReceived(D(2024, 3, 23)))
    assert dl.start == D(2024, 3, 25) and dl.due == D(2024, 4, 23)
    assert "当日为休息日，按下一个工作日2024年3月25日（星期一）收到计算" in dl.text


# --- other recorded pauses (force majeure) ------------------------------------------------------------------

def test_force_majeure_pause_with_its_reason(cal):
    lockdown = Pause(D(2022, 3, 14), D(2022, 3, 18), PauseReason.FORCE_MAJEURE, "疫情封控", "王主任")
    with pytest.raises(LawError, match="未启用"):  # [SETTING] default off
        run(cal, Received(D(2022, 3, 1)), lockdown)
    allowed = DeadlineSettings(allow_other_pauses=True)
    dl = run(cal, Received(D(2022, 3, 1)), lockdown, settings=allowed)
    assert run(cal, Received(D(2022, 3, 1))).due == D(2022, 3, 29)
    assert dl.due == D(2022, 4, 6) and dl.paused_days == 5  # 5 working days on; 清明 4/3–4/5 off, Saturday 4/2 worked
    assert dl.pauses[0].note == "疫情封控" and dl.pauses[0].approved_by == "王主任"
    assert "不可抗力等无法办理的期间（疫情封控，经王主任批准）：3月14日至3月18日，其间5个工作日不计入期限" in dl.text
    with pytest.raises(LawError, match="应写明理由"):
        run(cal, Received(D(2022, 3, 1)), Pause(D(2022, 3, 14), D(2022, 3, 18), PauseReason.FORCE_MAJEURE),
            settings=allowed)
