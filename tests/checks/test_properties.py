"""Properties: a report computed from any ledger satisfies every identity, and any single-cell
change to a valid report is caught by at least one check."""
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.checks import Level, has_errors, run_checks
from gongkai.formats import get_format
from gongkai.tally import CASE_KINDS, CASE_RESULTS, ApplicationRecord, CaseRecord, tally

COLUMNS = [c.key for c in get_format("2021").s3.columns if c.key != "total"]
YEAR = 2024


@st.composite
def ledgers(draw, fid):
    leaves = get_format(fid).s3_leaves()
    day = st.dates(dt.date(YEAR - 1, 11, 1), dt.date(YEAR, 12, 31))
    apps = []
    for _ in range(draw(st.integers(0, 40))):
        received = draw(day)
        closed = draw(st.one_of(st.none(), st.dates(received, dt.date(YEAR + 1, 2, 1))))
        apps.append(ApplicationRecord(draw(st.sampled_from(COLUMNS)), received, closed,
                                      draw(st.sampled_from(leaves)) if closed else None))
    cases = []
    for _ in range(draw(st.integers(0, 8))):
        filed = draw(day)
        concluded = draw(st.one_of(st.none(), st.dates(filed, dt.date(YEAR + 1, 3, 1))))
        cases.append(CaseRecord(draw(st.sampled_from(CASE_KINDS)), filed, concluded,
                                draw(st.sampled_from(CASE_RESULTS)) if concluded else None))
    return apps, cases


@settings(max_examples=150, deadline=None)
@given(data=st.data(), fid=st.sampled_from(["2021", "2019-trial"]))
def test_report_from_any_ledger_satisfies_every_identity(data, fid):
    apps, cases = data.draw(ledgers(fid))
    report = tally(apps, cases, year=YEAR, format_id=fid)
    findings = run_checks(report)
    assert not has_errors(findings), [f.message for f in findings if f.level is Level.ERROR]
    # next year's 上年结转 equals this year's 结转 by construction (X1)
    nxt = tally(apps, cases, year=YEAR + 1, format_id=fid).with_metadata(year=YEAR + 1)
    assert not [f for f in run_checks(nxt, previous=report.with_metadata(year=YEAR)) if f.id == "X1"]


@settings(max_examples=200, deadline=None)
@given(data=st.data(), fid=st.sampled_from(["2021", "2019-trial"]))
def test_any_single_cell_change_is_caught(data, fid):
    apps, cases = data.draw(ledgers(fid))
    report = tally(apps, cases, year=YEAR, format_id=fid)
    key = data.draw(st.sampled_from([k for k in report.cells if not k.startswith("s2.")]))
    delta = data.draw(st.integers(-50, 50).filter(lambda d: d != 0))
    changed = report.with_cells({key: report.value(key) + delta})
    findings = run_checks(changed)
    assert has_errors(findings)
    assert any(key in f.cells for f in findings if f.level is Level.ERROR)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_section_two_stock_changes_are_caught_across_years(data):
    """Section 二 has no identity inside one report; X2 catches a changed 现行有效/制发/废止 given last year."""
    issued, repealed, before = data.draw(st.integers(0, 50)), data.draw(st.integers(0, 50)), data.draw(st.integers(50, 500))
    base = tally([], year=YEAR)
    prev = base.with_metadata(year=YEAR - 1).with_cells({"s2.normative_docs.in_force": before})
    cur = base.with_metadata(year=YEAR).with_cells({"s2.normative_docs.issued": issued,
                                                    "s2.normative_docs.repealed": repealed,
                                                    "s2.normative_docs.in_force": before + issued - repealed})
    assert not [f for f in run_checks(cur, previous=prev) if f.id == "X2"]
    key = data.draw(st.sampled_from(["s2.normative_docs.issued", "s2.normative_docs.repealed",
                                     "s2.normative_docs.in_force"]))
    changed = cur.with_cells({key: cur.value(key) + data.draw(st.integers(1, 9))})
    assert [f for f in run_checks(changed, previous=prev) if f.id == "X2"]
