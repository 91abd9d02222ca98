"""The annual report from the ledger: sections 三 and 四 from a generated ledger satisfy every identity,
agree with a row-by-row count, and chain across years (上年结转 = last year's 结转)."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from gongkai.checks import has_errors, run_checks
from gongkai.formats import get_format
from gongkai.web.appeals.models import Appeal
from gongkai.web.applications import services as s
from gongkai.web.applications.models import Application
from gongkai.web.applications.selectors import ledger_cells, ledger_report
from gongkai.web.core.synthetic import bulk_ledger

D = dt.date
FMT = get_format("2021")


def oracle(body, year: int) -> Counter:
    """The same numbers counted one application at a time, from the rules in law.md §2.1."""
    start, end = D(year, 1, 1), D(year, 12, 31)
    c: Counter = Counter()
    for a in Application.objects.filter(body=body):
        col = a.applicant_type
        if a.received_on > end or (a.closed_on is not None and a.closed_on < start):
            continue
        if a.received_on >= start:
            c[f"s3.new.{col}"] += 1
        else:
            c[f"s3.carried_over.{col}"] += 1
        if a.closed_on is not None and a.closed_on <= end:
            c[f"s3.{a.reply_type}.{col}"] += 1
            c[f"s3.total.{col}"] += 1
        else:
            c[f"s3.carry_forward.{col}"] += 1
    for ap in Appeal.objects.filter(application__body=body, filed_on__year=year):
        decided = ap.decided_on is not None and ap.decided_on <= end and ap.result != "pending"
        c[f"s4.{ap.kind}.{ap.result if decided else 'pending'}"] += 1
        c[f"s4.{ap.kind}.total"] += 1
    return c


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_ledger_satisfies_every_identity(world, seed):
    body = world["a"]
    bulk_ledger(body=body, n=900, start=D(2021, 6, 1), end=D(2024, 12, 31), seed=seed, appeals=40)
    previous = None
    for year in (2022, 2023, 2024):
        report = ledger_report(body=body, year=year)
        findings = run_checks(report, previous=previous)
        errors = [f for f in findings if f.level == "error"]
        assert not has_errors(findings), errors
        assert not [f for f in findings if f.id == "X1"]
        if previous is not None:
            for col in FMT.s3.columns:
                assert report.value(f"s3.carried_over.{col.key}") == previous.value(f"s3.carry_forward.{col.key}")
        expected = oracle(body, year)
        cells = ledger_cells(body=body, year=year)
        for key, value in cells.items():
            if key.startswith("s3.") and key.endswith(".total") and key.count(".") == 2 and key != "s3.total.total":
                assert value == sum(expected[f"{key.rsplit('.', 1)[0]}.{c.key}"] for c in FMT.s3.columns[:-1]), key
            elif not key.endswith(".total"):
                assert value == expected[key], key
        assert cells["s3.new.total"] > 100 and cells["s3.carry_forward.total"] > 0
        previous = report


def test_ledger_equals_the_reference_tally(world):
    """gongkai.tally states the counting rules in plain Python; the aggregate query must agree on every cell."""
    from gongkai.tally import ApplicationRecord, CaseRecord, tally

    body = world["a"]
    bulk_ledger(body=body, n=700, start=D(2022, 6, 1), end=D(2024, 12, 31), seed=9, appeals=30)
    apps = [ApplicationRecord(t, r, c, o or None) for t, r, c, o in
            Application.objects.filter(body=body).values_list("applicant_type", "received_on", "closed_on", "reply_type")]
    cases = [CaseRecord(k, f, d, None if res == "pending" else res) for k, f, d, res in
             Appeal.objects.filter(application__body=body).values_list("kind", "filed_on", "decided_on", "result")]
    for year in (2023, 2024):
        reference = tally(apps, cases, year=year)
        cells = ledger_cells(body=body, year=year)
        for key, value in cells.items():
            assert reference.value(key) == value, (year, key)


def test_subordinates_roll_up(world):
    bulk_ledger(body=world["a"], n=120, start=D(2024, 1, 1), end=D(2024, 12, 31), seed=3)
    bulk_ledger(body=world["b"], n=80, start=D(2024, 1, 1), end=D(2024, 12, 31), seed=4)
    a, b = ledger_cells(body=world["a"], year=2024), ledger_cells(body=world["b"], year=2024)
    both = ledger_cells(body=world["district"], year=2024, include_subordinates=True)
    assert both["s3.new.total"] == a["s3.new.total"] + b["s3.new.total"] == 200
    assert ledger_cells(body=world["district"], year=2024)["s3.new.total"] == 0


def test_a_decision_moves_one_cell(world, make_app):
    u = world["users"]
    app = make_app(received=D(2024, 3, 4), applicant_type="legal_service")
    before = ledger_cells(body=world["a"], year=2024)
    assert before["s3.carry_forward.legal_service"] == 1 and before["s3.partial.legal_service"] == 0
    s.decision_record(application=app, actor=u["reviewer_a"], on=D(2024, 3, 20), reply_type="partial")
    after = ledger_cells(body=world["a"], year=2024)
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {"s3.partial.legal_service", "s3.partial.total", "s3.total.legal_service", "s3.total.total",
                       "s3.carry_forward.legal_service", "s3.carry_forward.total"}
    assert after["s3.partial.legal_service"] == 1


def test_closed_next_year_is_carried_forward(world, make_app):
    u = world["users"]
    app = make_app(received=D(2024, 12, 23))
    s.decision_record(application=app, actor=u["reviewer_a"], on=D(2025, 1, 6), reply_type="granted")
    y24, y25 = ledger_cells(body=world["a"], year=2024), ledger_cells(body=world["a"], year=2025)
    assert y24["s3.carry_forward.natural"] == 1 and y24["s3.total.natural"] == 0
    assert y25["s3.carried_over.natural"] == 1 and y25["s3.granted.natural"] == 1 and y25["s3.carry_forward.natural"] == 0


def test_ledger_page_and_api(world, make_app, client):
    make_app(received=D(2024, 3, 4))
    client.force_login(world["users"]["clerk_a"])
    r = client.get(f"/staff/cases/ledger/?body={world['a'].pk}&year=2024")
    assert r.status_code == 200 and "三、收到和处理政府信息公开申请情况" in r.content.decode()
    r = client.get(f"/api/applications/ledger/{world['a'].pk}/2024")
    assert r.status_code == 200 and r.json()["s3.new.natural"] == 1 and r.json()["s4.review.total"] == 0


def test_ledger_page_prints_the_format_labels(world, client):
    from gongkai.formats import get_format

    fmt = get_format("2021")
    client.force_login(world["users"]["reviewer_a"])
    html = client.get(f"/staff/cases/ledger/?body={world['a'].pk}&year=2024").content.decode()
    for label, _ in fmt.s3.column_groups + fmt.s4.column_groups:
        assert f">{label}</th>" in html
    assert fmt.s3.note in html and fmt.sections[3].heading in html
    assert html.count('<th colspan="5">') >= 3  # 行政复议 / 未经复议直接起诉 / 复议后起诉 under their blocks
    nav = html.split('<nav class="mainnav">')[1].split("</nav>")[0]
    assert nav.count('class="active"') == 1 and "台账统计" in nav.split('class="active"')[1][:20]
