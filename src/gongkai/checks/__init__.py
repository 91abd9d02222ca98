"""Checks of annual reports: identities, warnings, cross-year checks and roll-up.

``run_checks(report, previous=None)`` returns :class:`Finding` objects (data, never exceptions):
errors I1, I3–I6 (identities inside one report, report-format.md §4.1), warnings W1–W9 (§4.2) and W10 (the narrative against the channel log, given one),
cross-year X1–X4 (§4.3, given last year's report), plus V5 (a failed identity involves blank cells),
S1 (non-official subtotal rows) and info findings for checks that could not run for lack of data.
Checks register with ``@check("ID", "title")``; an extension adds its own the same way.
"""
from __future__ import annotations

from collections.abc import Iterable

from ..outreach import OutreachFacts
from ..report import Report
from . import crossyear, identities, warnings  # noqa: F401  (register the built-in checks)
from ._model import LEVEL_NAMES, Check, CheckOptions, Context, Finding, Level, Side, check, iter_findings, registered
from .crossyear import repetition_rate
from .rollup import rollup
from .warnings import report_deadline

_ORDER = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}


def run_checks(report: Report, *, previous: Report | None = None, options: CheckOptions | None = None,
               only: Iterable[str] | None = None, outreach: OutreachFacts | None = None) -> list[Finding]:
    """Every finding for ``report`` (and across years when ``previous`` is given), errors first. ``outreach``:
    the body's channel log for the year, against which W10 checks the narrative's numbers."""
    ctx = Context(report=report, previous=previous, options=options or CheckOptions(), outreach=outreach)
    findings = _merge_blank_notes(list(iter_findings(ctx, only)))
    return sorted(findings, key=lambda f: _ORDER[f.level])


def _merge_blank_notes(findings: list[Finding]) -> list[Finding]:
    """One V5 finding per set of blank cells, however many identities they break."""
    out: list[Finding] = []
    by_cells: dict[tuple[str, ...], int] = {}
    for f in findings:
        if f.id != "V5":
            out.append(f)
        elif f.cells in by_cells:
            i = by_cells[f.cells]
            ids = out[i].message.split(" 不成立")[0] + "、" + f.message.split(" 不成立")[0]
            out[i] = out[i].model_copy(update={"message": ids + " 不成立" + out[i].message.split(" 不成立", 1)[1]})
        else:
            by_cells[f.cells] = len(out)
            out.append(f)
    return out


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.level is Level.ERROR for f in findings)


__all__ = [
    "LEVEL_NAMES",
    "Check",
    "CheckOptions",
    "Context",
    "Finding",
    "Level",
    "Side",
    "check",
    "has_errors",
    "registered",
    "repetition_rate",
    "report_deadline",
    "rollup",
    "run_checks",
]
