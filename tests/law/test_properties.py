"""Properties of date arithmetic that must hold for every date the calendar covers."""
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.law import (
    CalendarDay,
    CorrectionNoticed,
    CorrectionReceived,
    DayKind,
    DeadlineSettings,
    Extended,
    FeeNoticed,
    FeePaid,
    Pause,
    PauseReason,
    Received,
    WorkingCalendar,
    compute_deadline,
    default_calendar,
    dump_notice,
    effective_receipt,
    fee_by_items,
    fee_by_pages,
    load_notice,
    rules_for,
)

CAL = default_calendar()
# Starts early enough that 60 working days plus long pauses stay inside the covered years.
starts = st.dates(min_value=date(2005, 1, 1), max_value=date(2025, 12, 31))
pause_specs = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 20), st.sampled_from(list(PauseReason))),
                       max_size=3)
FAST = settings(max_examples=150, deadline=None)
# Receipts from 2005 fall under the 2008 条例 (15 + 15 working days) or the 2019 one (20 + 20); a receipt on a rest
# day counts from the next working day; force-majeure pauses are allowed here so that every reason is drawn.
SETTINGS = DeadlineSettings(allow_other_pauses=True)


def pauses_from(start, specs):
    return [Pause(start + timedelta(days=off), start + timedelta(days=off + length), reason,
                  "疫情封控" if reason is PauseReason.FORCE_MAJEURE else "")
            for off, length, reason in specs]


@FAST
@given(starts, st.integers(0, 60))
def test_add_is_exact_and_lands_on_a_working_day(start, n):
    end = CAL.add_working_days(start, n)
    assert CAL.working_days_between(start, end) == n
    if n:
        assert CAL.is_working_day(end)


@FAST
@given(starts, st.integers(1, 60))
def test_add_agrees_with_chinesecalendar(start, n):
    import chinese_calendar  # an independent implementation of the same notices

    d, left = start, n
    while left:
        d += timedelta(days=1)
        left -= chinese_calendar.is_workday(d)
    assert CAL.add_working_days(start, n) == d
    if chinese_calendar.is_workday(start):  # find_workday counts from the next working day otherwise
        assert CAL.add_working_days(start, n) == chinese_calendar.find_workday(n, start)


@FAST
@given(starts, starts, st.integers(0, 40))
def test_add_is_monotonic_in_the_start(a, b, n):
    a, b = min(a, b), max(a, b)
    assert CAL.add_working_days(a, n) <= CAL.add_working_days(b, n)


@FAST
@given(starts, st.integers(0, 40), st.integers(1, 20))
def test_add_is_strictly_monotonic_in_n(start, n, more):
    assert CAL.add_working_days(start, n) < CAL.add_working_days(start, n + more)


@FAST
@given(starts, pause_specs)
def test_pauses_never_shorten_a_deadline(start, specs):
    plain = compute_deadline([Received(start)], calendar=CAL)
    paused = compute_deadline([Received(start), *pauses_from(start, specs)], calendar=CAL, settings=SETTINGS)
    assert paused.due >= plain.due
    # and they lengthen it by exactly the working days they took out of the period
    assert CAL.working_days_between(plain.due, paused.due) == paused.paused_days


@FAST
@given(starts, st.integers(0, 30), st.integers(0, 30))
def test_a_restart_never_shortens_a_deadline(start, notice_after, corrected_after):
    notice = start + timedelta(days=notice_after)
    corrected = notice + timedelta(days=corrected_after)
    plain = compute_deadline([Received(start)], calendar=CAL)
    restarted = compute_deadline([Received(start), CorrectionNoticed(notice), CorrectionReceived(corrected)],
                                 calendar=CAL)
    assert restarted.due >= plain.due
    assert restarted.due == CAL.add_working_days(effective_receipt(corrected, calendar=CAL),
                                                 rules_for(start).reply_days)


@FAST
@given(starts, st.integers(1, 15), pause_specs, st.booleans())
def test_an_extension_adds_exactly_its_working_days(start, days, specs, with_fee):
    events = [Received(start), *pauses_from(start, specs)]
    if with_fee:
        events += [FeeNoticed(start + timedelta(days=3)), FeePaid(start + timedelta(days=9))]
    base = compute_deadline(events, calendar=CAL, settings=SETTINGS)
    ext = compute_deadline([*events, Extended(start, days, "负责人")], calendar=CAL, settings=SETTINGS)
    assert ext.base_due == base.due
    counted = [d for d in CAL.working_days(base.due + timedelta(days=1), ext.due)
               if not any(p.start <= d <= p.end for p in events if isinstance(p, Pause))
               and not (with_fee and start + timedelta(days=3) <= d <= start + timedelta(days=9))]
    assert len(counted) == days
    if not specs and not with_fee:
        assert CAL.working_days_between(base.due, ext.due) == days


@FAST
@given(st.lists(st.tuples(st.integers(0, 364), st.booleans(), st.sampled_from(["元旦", "春节", "国庆节", ""])),
                max_size=40))
def test_notice_round_trip(raw):
    days = {}
    for off, holiday, name in raw:
        d = date(2031, 1, 1) + timedelta(days=off)
        if not holiday and d.weekday() < 5:
            continue  # a make-up working day is always a weekend day
        days[d] = CalendarDay(d, DayKind.HOLIDAY if holiday else DayKind.MAKEUP_WORKDAY, name)
    cal = WorkingCalendar(days.values(), covered_years=[2031])
    assert load_notice(dump_notice(cal)) == cal


@FAST
@given(st.integers(0, 300), st.integers(0, 300))
def test_item_fees_are_marginal(already, count):
    total = fee_by_items(already + count).amount
    assert fee_by_items(count, already=already).amount == total - fee_by_items(already).amount
    assert fee_by_items(already + count + 1).amount >= total


@FAST
@given(st.integers(0, 5000))
def test_page_fees_rise_by_the_tier_price(pages):
    step = fee_by_pages(pages + 1).amount - fee_by_pages(pages).amount
    n = pages + 1
    assert step == (0 if n <= 30 else 10 if n <= 100 else 20 if n <= 200 else 40)


@st.composite
def histories(draw):
    """A valid case history: receipt, maybe a 补正, pauses, maybe a fee, maybe an extension."""
    received = draw(starts)
    events = [Received(received)]
    start = received
    if draw(st.booleans()):
        notice = received + timedelta(days=draw(st.integers(0, 10)))
        start = notice + timedelta(days=draw(st.integers(0, 20)))
        events += [CorrectionNoticed(notice), CorrectionReceived(start)]
    day = start
    for _ in range(draw(st.integers(0, 3))):
        a = day + timedelta(days=draw(st.integers(1, 15)))
        b = a + timedelta(days=draw(st.integers(0, 10)))
        events.append(Pause(a, b, draw(st.sampled_from([PauseReason.THIRD_PARTY, PauseReason.INTER_BODY]))))
        day = b
    if draw(st.booleans()):
        noticed = day + timedelta(days=draw(st.integers(1, 10)))
        events += [FeeNoticed(noticed), FeePaid(noticed + timedelta(days=draw(st.integers(0, 25))))]
    if draw(st.booleans()):
        events.append(Extended(start, draw(st.integers(1, rules_for(received).max_extension_days)), "负责人"))
    today = received + timedelta(days=draw(st.integers(0, 200)))
    return events, start, today


def received_of(events):
    return next(e.date for e in events if isinstance(e, Received))


@FAST
@given(histories())
def test_any_valid_history_gives_a_consistent_deadline(history):
    events, start, today = history
    dl = compute_deadline(events, calendar=CAL, today=today)
    assert dl.due is not None and dl.start == effective_receipt(start, calendar=CAL)
    assert dl.rules == ("2019" if received_of(events) >= date(2019, 5, 15) else "2008")
    assert CAL.is_working_day(dl.due)
    assert not any(isinstance(p, Pause) and p.start <= dl.due <= p.end for p in events)
    # every working day of the period is either counted or paused
    assert CAL.working_days_between(dl.start, dl.due) == dl.days_counted + dl.paused_days
    assert dl.base_due <= dl.due
    if dl.status.value in ("overdue",):
        assert today > dl.due and dl.days_left < 0
    if dl.days_left is not None and dl.days_left >= 0:
        assert today <= dl.due
    # the explanation is Chinese sentences, with nothing leaking from Python
    assert all(line.endswith("。") and "None" not in line and "datetime" not in line for line in dl.explanation)
    # the stored order does not matter, except between events of one day (those keep theirs)
    shuffled = sorted(events, key=lambda e: -e.date.toordinal())
    assert compute_deadline(shuffled, calendar=CAL, today=today) == dl


@FAST
@given(histories(), st.integers(2027, 2030))
def test_a_later_year_changing_never_moves_an_earlier_deadline(history, year):
    events, _, today = history
    dl = compute_deadline(events, calendar=CAL, today=today)
    other = CAL.merged(load_notice(f"year {year}\n{year}-03-02 holiday 测试\n"))
    assert compute_deadline(events, calendar=other, today=today) == dl
