"""The clock against published cases whose facts state their dates.

Each case gives its source. Only facts the page states are used. Where the page also states a deadline, the test
says whose figure it is (a court's, or a party's) and whether ours agrees. The court example of an EMS receipt on
2022-09-30 (due 2022-11-02, stated in the judgment) is in test_rules.py.
"""
from datetime import date

import pytest

from gongkai.errors import LawError
from gongkai.law import Channel, Closed, Received, compute_deadline

D = date


def run(cal, *events):
    return compute_deadline(list(events), calendar=cal)


def test_made_in_time_but_sent_late_2008_rules(cal):
    """顾某 v. 市规划局 (京云律师事务所, http://www.jingyunfirm.com/news/1390.html): the application was received on
    2016-12-27 (a letter); the answer is dated 2017-01-17, was posted on 2017-01-19 and signed for on 2017-02-06.

    Received before 2019-05-15, so the 2007 条例 applies: 15 working days, with 元旦 (2017-01-02, a Monday)
    skipped: due 2017-01-18. The letter was *made* in time but *sent* a day late, and the reply is measured by
    the day it was sent."""
    dl = run(cal, Received(D(2016, 12, 27), Channel.REGISTERED_MAIL),
             Closed(D(2017, 1, 19), made=D(2017, 1, 17), delivered=D(2017, 2, 6)))
    assert dl.rules == "2008" and dl.due == D(2017, 1, 18) and dl.late
    assert dl.explanation[-1] == ("答复：2017年1月17日（星期二）作出，2017年1月19日（星期四）发出，2017年2月6日（星期一）送达；"
                                  "以发出之日衡量是否在答复期限内，已超过答复期限。")
    on_time = run(cal, Received(D(2016, 12, 27), Channel.REGISTERED_MAIL), Closed(D(2017, 1, 18), made=D(2017, 1, 17)))
    assert not on_time.late and on_time.explanation[-1].endswith("未超过答复期限。")


def test_postal_receipt_in_2025_counts_from_the_next_day(cal):
    """陈某宜 v. 潢川县付店镇人民政府 (北京瀛台律师事务所, https://www.yingtailaw.com/case-info.php?classID=8&id=813):
    posted 2025-02-18, signed for by the 镇政府 on 2025-02-20, no answer.

    The applicant's lawyer wrote that the answer was due 「2025年3月19日前」; that figure counts the day of receipt
    as day 1. The day of receipt is not counted (law.md: "counting starts the next working day"; the
    procedural codes' rule that the day a period starts is not counted), so the 20th working day is 2025-03-20. The review body's decision gives no date of its own."""
    dl = run(cal, Received(D(2025, 2, 20), Channel.REGISTERED_MAIL))
    assert dl.rules == "2019" and dl.due == D(2025, 3, 20)
    assert cal.add_working_days(D(2025, 2, 19), 20) == D(2025, 3, 19)  # the lawyer's figure: counted from 2/20


def test_ems_in_november_2018_answered_in_march_2019(cal):
    """林先生 v. 当地建设局 (京云律师事务所, http://www.yunhelaw.com/case/2595): EMS sent 2018-11-11, received
    2018-11-13; answered 2019-03-08. Received before 2019-05-15: the 2007 条例's 15 working days → 2018-12-04;
    the answer came three months late, as the lawyer argued."""
    dl = run(cal, Received(D(2018, 11, 13), Channel.REGISTERED_MAIL), Closed(D(2019, 3, 8)))
    assert dl.rules == "2008" and dl.due == D(2018, 12, 4) and dl.late


def test_received_the_day_after_posting_2013(cal):
    """(2013)松行初字第68号 (上海市松江区人民法院, http://m.law-lib.com/cpws/cpws_view.asp?id=200402561065&page=2):
    posted 2013-10-15, received by the defendant 「于次日」 (2013-10-16), no written answer by the time of the suit.
    2007 条例: 15 working days → 2013-11-06 (no holiday in between)."""
    dl = run(cal, Received(D(2013, 10, 16), Channel.REGISTERED_MAIL))
    assert dl.rules == "2008" and dl.due == D(2013, 11, 6)


@pytest.mark.parametrize(("made", "sent", "delivered", "says"), [
    (D(2017, 1, 20), D(2017, 1, 19), None, "作出日期晚于发出日期"),
    (None, D(2017, 1, 19), D(2017, 1, 18), "送达日期早于发出日期"),
])
def test_reply_dates_must_be_in_order(cal, made, sent, delivered, says):
    with pytest.raises(LawError, match=says):
        run(cal, Received(D(2016, 12, 27)), Closed(sent, made=made, delivered=delivered))
