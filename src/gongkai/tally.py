"""Sections 三 and 四 counted from case records: the reference computation of the annual report.

The web ledger computes the same numbers with one aggregate query; this pure version states the
counting rules once, in code, and is what the property tests (and small callers) use:

* 一、本年新收: applications received in the year.
* 二、上年结转: applications received before the year and still open on 1 January.
* 三、办理结果: applications closed in the year, each in exactly one result leaf (部分公开 only in ``partial``).
* 四、结转下年度: applications received by 31 December and still open then.
* Section 四: review and litigation cases filed in the year; those not concluded by 31 December are 尚未审结.

So 一 + 二 = 三 + 四 holds per column by construction, and next year's 上年结转 equals this year's 结转.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .formats import get_format
from .report import Cell, Metadata, Report, zero_report

CASE_KINDS = ("review", "litigation_direct", "litigation_after_review")
CASE_RESULTS = ("upheld", "corrected", "other")


@dataclass(frozen=True)
class ApplicationRecord:
    applicant: str  # a section 三 column key: natural, commercial, research, social_welfare, legal_service, other_org
    received: dt.date
    closed: dt.date | None = None
    outcome: str | None = None  # a result leaf row key (granted, denied.state_secret, other.no_fee …) once closed


@dataclass(frozen=True)
class CaseRecord:
    kind: str  # review | litigation_direct | litigation_after_review
    filed: dt.date
    concluded: dt.date | None = None
    result: str | None = None  # upheld | corrected | other, once concluded


def tally(applications: Iterable[ApplicationRecord], cases: Iterable[CaseRecord] = (), *, year: int,
          format_id: str = "2021", agency: str | None = None) -> Report:
    """The report cells of sections 三 and 四 for ``year`` (section 二 cells are 0: they come from elsewhere)."""
    fmt = get_format(format_id)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    columns = [c.key for c in fmt.s3.columns if c.key != "total"]
    leaves = set(fmt.s3_leaves())
    counts: Counter[tuple[str, str]] = Counter()
    for app in applications:
        if app.applicant not in columns:
            raise ValueError(f"unknown applicant column {app.applicant!r}")
        if app.received > end or (app.closed is not None and app.closed < start):
            continue
        counts["new" if app.received >= start else "carried_over", app.applicant] += 1
        if app.closed is not None and app.closed <= end:
            if app.outcome not in leaves:
                raise ValueError(f"closed application without a result leaf of format {fmt.id}: {app.outcome!r}")
            counts[app.outcome, app.applicant] += 1
            counts["total", app.applicant] += 1
        else:
            counts["carry_forward", app.applicant] += 1
    cells: dict[str, Cell | int] = {}
    for row in ["new", "carried_over", *fmt.s3_leaves(), "total", "carry_forward"]:
        for col in columns:
            cells[f"s3.{row}.{col}"] = counts[row, col]
        cells[f"s3.{row}.total"] = sum(counts[row, c] for c in columns)
    case_counts: Counter[tuple[str, str]] = Counter()
    for case in cases:
        if case.kind not in CASE_KINDS:
            raise ValueError(f"unknown case kind {case.kind!r}")
        if not start <= case.filed <= end:
            continue
        done = case.concluded is not None and case.concluded <= end and case.result in CASE_RESULTS
        case_counts[case.kind, case.result if done else "pending"] += 1  # type: ignore[index]
    for kind in CASE_KINDS:
        for res in (*CASE_RESULTS, "pending"):
            cells[f"s4.{kind}.{res}"] = case_counts[kind, res]
        cells[f"s4.{kind}.total"] = sum(case_counts[kind, r] for r in (*CASE_RESULTS, "pending"))
    base = zero_report(fmt.id)
    return base.with_cells(cells).model_copy(update={"metadata": Metadata(agency=agency, year=year,
                                                                              format_detected=fmt.id)})


__all__ = ["CASE_KINDS", "CASE_RESULTS", "ApplicationRecord", "CaseRecord", "tally"]
