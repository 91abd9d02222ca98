"""Round trip: random valid reports written as text and Markdown in real-world layouts parse back.

Layouts and perturbations are those of variants.md (see ``synth``): Markdown tables, tab- and
space-separated lines, crawler-flattened text; blank cells, split labels, Traditional characters,
missing captions, full-width digits. In every layout but the flattened one the cells come back
exactly; in flattened text (no cell boundaries) a cell comes back exactly or is marked uncertain.
"""
from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.read import parse_text
from gongkai.report import Status

from .synth import Variant, render_text, valid_reports, variants


def _diff(report, variant):
    got = parse_text(render_text(report, variant)).report
    wrong = {}
    for key in report.expected_keys():
        cell, want = got.cell(key), report.value(key)
        if cell.value is not None and Decimal(cell.value) == Decimal(want):
            continue
        if variant.layout == "flat" and cell.status is Status.UNCERTAIN:
            continue
        wrong[key] = (cell.value, cell.status.value, want)
    return got, wrong


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=valid_reports(), variant=variants)
def test_random_reports_round_trip(report, variant):
    got, wrong = _diff(report, variant)
    assert wrong == {}
    assert (got.agency, got.year) == (report.agency, report.year)
    assert got.format == report.format


@settings(max_examples=25, deadline=None)
@given(report=valid_reports(), layout=st.sampled_from(["markdown", "tsv", "spaces"]))
def test_clean_layouts_are_exact_and_certain(report, layout):
    got, wrong = _diff(report, Variant(layout=layout))
    assert wrong == {}
    assert not [k for k, c in got.cells.items() if c.status is Status.UNCERTAIN]


@settings(max_examples=25, deadline=None)
@given(report=valid_reports(formats=("2021",)))
def test_flattened_rows_of_three_never_silently_wrong(report):
    """Crawler text: every cell of 三 and 四 is right or uncertain, and most come back exactly."""
    got, wrong = _diff(report, Variant(layout="flat"))
    assert wrong == {}
    s34 = [k for k in report.expected_keys() if k.startswith(("s3.", "s4."))]
    right = sum(1 for k in s34 if got.value(k) is not None and got.value(k) == report.value(k))
    assert right >= len(s34) * 0.5
