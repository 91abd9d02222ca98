"""The layout zoo: random valid reports printed as whole pages in every layout real pages use, then cut.

Each example draws a report (``synth.valid_reports()``, both formats, as drawn, all zeros or scaled to large
numbers) and a way of printing it (``zoo.Zoo``: the layout, Simplified / Traditional / Traditional with
pinyin, zeros as ``0``, as an empty cell or as ``/``, half-width punctuation, remarks in labels, 2021 tables
saying 规范性文件, worded 2019-trial changes, split header cells, with a title or as a bare page starting at
一、总体情况). ``zoo.render_page`` prints title, preamble, 一, the 二 tables, 三, 四, 五 and 六 in one of 14
layouts (pipe rows with and without a leading pipe, one cell per line with and without blank lines, cells
ending in `` |`` with and without a ``|`` line opening each row, cells between bare ``|`` lines, tabs, runs of
spaces, Markdown, an HTML page read as ``.html`` bytes, and HTML source pasted as text: plain, with ``\\"`` and
``&nbsp;``, inside a JavaScript string; see the ``zoo`` docstring). Properties:

* uncut: every cell exactly right (numbers ``ok``, cells printed blank ``blank``);
* cut at a random character after the start of section 二 (mid-number, mid-row, mid-label, mid-tag):
  - no cell that was not printed completely before the cut comes back ``ok``/``repaired`` with a value;
  - every cell printed completely before the cut comes back right or ``uncertain``;
  - a page cut after 二's first row with values is never refused (NotAReport), with or without a title.

The default run is small (about 80 examples in all, for ``make test``); the long run is opt-in::

    GONGKAI_ZOO_EXAMPLES=2000 .venv/bin/python -m pytest tests/read/test_layout_zoo.py

(the number is the total over all layouts and properties; each failing case is shrunk and printed with the
text around the first wrong cell). ``bench/zoo_long.py`` runs many examples without stopping at a failure and
prints the failures by layout and property.

Cases marked ``xfail`` are reader bugs the zoo found (measured at reader commit 066a6e4); ``MINIMAL``
(tests/read/zoo.py) holds the shrunk example of each, checked by ``test_minimal_example``: ``xfail(strict=False)``
where the reader still fails it (the mark should go once it is fixed), a plain test where it was fixed. An uncut case is split by how zeros are printed (``printed``: ``0`` or ``/``;
``empty``: empty cells) and, for space-separated rows, by worded changes and remarks, so that a mark covers
only the case that fails.
"""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from gongkai.errors import NotAReport

from .zoo import (
    LAYOUTS,
    MINIMAL,
    NO_EMPTY_CELL,
    Page,
    Zoo,
    judge_cut,
    judge_uncut,
    parse_page,
    render_page,
    zoo_reports,
    zoos,
)

# --- cases ----------------------------------------------------------------------------------------------
_PRINTED = {"blank": st.sampled_from(["none", "slash"])}
UNCUT_CASES: dict[str, dict[str, dict[str, object]]] = {
    layout: {"printed": dict(_PRINTED), **({} if layout in NO_EMPTY_CELL else {"empty": {"blank": "empty"}})}
    for layout in LAYOUTS
}
# space-separated rows: worded changes and long remarks are cases of their own
UNCUT_CASES["spaces"] = {"printed": {**_PRINTED, "worded": False, "remarks": False},
                         "worded": {**_PRINTED, "worded": True, "remarks": False},
                         "remarks": {**_PRINTED, "worded": False, "remarks": True}}

_B_EMPTY = "zeros printed as empty cells"
_B_FOUR_FIRST = "四's row cut right after its first value drops it (MINIMAL four-row-cut-after-first-value)"
_B_EMPTY_AT_CUT = "an empty cell right before the cut is dropped (MINIMAL empty-cell-at-cut)"
_B_REMARK_EMPTY = "a long-remark row of empty cells is dropped (MINIMAL long-remark-row-all-empty)"

# Measured on the reader at commit 066a6e4 (150 examples per case; tests/read/zoo.py MINIMAL has the shrunk
# example of every entry), pruned after the bare-"|" empty-cell fix (bench/zoo_long.py 2000: no failure in the
# cases taken out). Cases not listed never failed. No case invents a cell or refuses a page: those have no xfail.
XFAIL_UNCUT: dict[tuple[str, str], str] = {
    ("pipe-rows", "empty"): f"{_B_EMPTY}: '行政许可 |  |' is dropped (MINIMAL row-of-one-empty-cell)",
    ("pipe-rows-leading", "empty"): f"{_B_EMPTY}: {_B_REMARK_EMPTY}",
    ("pipe-cell", "empty"): f"{_B_EMPTY}: 四's row with an empty first cell (MINIMAL four-row-first-cell-empty)",
    ("pipe-cell-lead", "empty"): f"{_B_EMPTY}: 四's row with an empty first cell (MINIMAL four-row-first-cell-empty)",
    ("bar-lines", "empty"): f"{_B_EMPTY}: an empty cell between bare '|' lines vanishes (MINIMAL bar-lines-empty-cell)",
    ("tsv", "empty"): f"{_B_EMPTY}: rows of empty cells dropped (MINIMAL row-of-one-empty-cell, two-row-all-empty)",
    ("markdown", "empty"): f"{_B_EMPTY}: a row of 三 with an empty 总计 shifts (MINIMAL three-row-last-cell-empty)",
    ("html", "empty"): f"{_B_EMPTY}: {_B_REMARK_EMPTY}",
}
XFAIL_CUT_INVENTS: dict[str, str] = {}
XFAIL_CUT_KEEPS: dict[str, str] = {
    **{lay: f"{_B_FOUR_FIRST}; {_B_EMPTY_AT_CUT}" for lay in (
        "pipe-rows", "pipe-rows-leading", "pipe-cell", "pipe-cell-lead", "tsv", "markdown", "html", "html-source",
        "html-escaped", "html-js")},
    "bar-lines": f"empty cells between bare '|' lines vanish (MINIMAL bar-lines-empty-cell); {_B_EMPTY_AT_CUT}",
    "spaces": "a cut row is dropped, worded changes, long remarks (MINIMAL spaces-cut-row-dropped, "
              "worded-change-in-spaces, long-remark-in-spaces)",
}
XFAIL_REFUSED: dict[tuple[str, bool], str] = {}

# --- budget -------------------------------------------------------------------------------------------
_UNCUT_PARAMS = [(lay, case) for lay in LAYOUTS for case in UNCUT_CASES[lay]]
_N_PARAMS = len(_UNCUT_PARAMS) + 2 * len(LAYOUTS) + 2 * len(LAYOUTS)
_TOTAL = int(os.environ.get("GONGKAI_ZOO_EXAMPLES", "0")) or _N_PARAMS  # default: one example per case (~83)
_PER = max(1, _TOTAL // _N_PARAMS)


def _xfail(params: list, xfails: dict) -> list:
    out = []
    for p in params:
        values = p if isinstance(p, tuple) else (p,)
        reason = xfails.get(p)
        out.append(pytest.param(*values, marks=pytest.mark.xfail(strict=False, reason=reason)) if reason
                   else pytest.param(*values))
    return out


def _show(page: Page, problems, cut: int | None = None) -> str:
    lines = [str(p) for p in problems[:12]] + ([f"... {len(problems)} problems"] if len(problems) > 12 else [])
    if problems and problems[0].key in page.spans:
        lines.append("around the first: " + repr(page.around(problems[0].key, cut=cut)))
    return "\n".join(lines)


# --- properties -------------------------------------------------------------------------------------------
def _run(prop, xfailed: bool, *args) -> None:
    """Run ``prop(*args, data)`` for the budgeted examples. A case marked xfail is not shrunk (its minimal
    example is in MINIMAL; shrinking a failing page takes minutes) unless GONGKAI_ZOO_SHRINK=1."""
    phases = list(Phase) if (not xfailed or os.environ.get("GONGKAI_ZOO_SHRINK")) else [
        Phase.explicit, Phase.reuse, Phase.generate]
    run = settings(max_examples=_PER, deadline=None, phases=phases,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])(
        given(data=st.data())(lambda data: prop(*args, data)))
    run()


def _uncut(layout: str, case: str, data: st.DataObject) -> None:
    drawn = data.draw(zoo_reports(), label="report")
    zoo = data.draw(zoos(layout, **UNCUT_CASES[layout][case]), label="zoo")
    page = render_page(drawn.report, zoo)
    got = parse_page(page)
    problems = judge_uncut(page, got)
    assert not problems, _show(page, problems)
    assert got.format == drawn.report.format


def _cut_problems(layout: str, data: st.DataObject, kinds: tuple[str, ...]) -> None:
    """A page cut anywhere after 二: no problem of ``kinds`` among its cells (refusals have their own test)."""
    drawn = data.draw(zoo_reports(), label="report")
    zoo = data.draw(zoos(layout), label="zoo")
    page = render_page(drawn.report, zoo)
    cut = data.draw(st.integers(page.s2_start, len(page.text) - 1), label="cut")
    try:
        got = parse_page(page, cut)
    except NotAReport:
        return  # refusals: test_cut_page_is_never_refused
    problems = [p for p in judge_cut(page, got, cut) if p.kind in kinds]
    assert not problems, _show(page, problems, cut)


def _cut_invents(layout: str, data: st.DataObject) -> None:
    _cut_problems(layout, data, ("invented",))


def _cut_keeps(layout: str, data: st.DataObject) -> None:
    _cut_problems(layout, data, ("wrong", "lost"))


def _never_refused(layout: str, titled: bool, data: st.DataObject) -> None:
    drawn = data.draw(zoo_reports(), label="report")
    zoo = data.draw(zoos(layout, title=titled), label="zoo")
    page = render_page(drawn.report, zoo)
    cut = data.draw(st.integers(page.first_row_end, len(page.text) - 1), label="cut")
    try:
        parse_page(page, cut)
    except NotAReport as exc:
        pytest.fail(f"{exc}: a page cut at {cut}, after 二's first row: ...{page.text[:cut][-200:]!r}")


@pytest.mark.parametrize(("layout", "case"), _xfail(_UNCUT_PARAMS, XFAIL_UNCUT))
def test_uncut_page_reads_every_cell_exactly(layout, case):
    _run(_uncut, (layout, case) in XFAIL_UNCUT, layout, case)


@pytest.mark.parametrize("layout", _xfail(list(LAYOUTS), XFAIL_CUT_INVENTS))
def test_cut_page_invents_nothing(layout):
    _run(_cut_invents, layout in XFAIL_CUT_INVENTS, layout)


@pytest.mark.parametrize("layout", _xfail(list(LAYOUTS), XFAIL_CUT_KEEPS))
def test_cut_page_keeps_every_printed_cell(layout):
    _run(_cut_keeps, layout in XFAIL_CUT_KEEPS, layout)


@pytest.mark.parametrize(("layout", "titled"), _xfail([(lay, t) for lay in LAYOUTS for t in (True, False)],
                                                      XFAIL_REFUSED))
def test_cut_page_is_never_refused(layout, titled):
    _run(_never_refused, (layout, titled) in XFAIL_REFUSED, layout, titled)


# --- the shrunk failing examples ------------------------------------------------------------------------
@pytest.mark.parametrize(("minimal", "layout"), [
    *(pytest.param(m, lay, id=f"{m.id}-{lay}", marks=pytest.mark.xfail(strict=False, reason=m.bug))
      for m in MINIMAL for lay in m.layouts),
    *(pytest.param(m, lay, id=f"{m.id}-{lay}-fixed") for m in MINIMAL for lay in m.fixed)])
def test_minimal_example(minimal, layout):
    """The shrunk failing examples: xfail where the reader still fails them, plain where it was fixed."""
    page, cut, problems = minimal.problems(layout)
    assert not problems, _show(page, problems, cut)


def test_zoo_prints_what_it_claims():
    """The zoo itself: every keyed cell's span holds its printed text, in every layout and script; a whole
    page of the clean layouts reads back exactly (the zoo is not what fails)."""
    from .synth import sample_report

    for fid in ("2021", "2019-trial"):
        report = sample_report(fid, seed=3)
        for layout in LAYOUTS:
            for script in ("simplified", "pinyin"):
                page = render_page(report, Zoo(layout=layout, script=script, blank="empty", worded=True, seed=7))
                assert len(page.spans) == len(report.expected_keys())
                for key, (a, b) in page.spans.items():
                    if page.printed[key]:
                        assert page.text[a:b] == page.printed[key], (layout, key)
                assert page.s2_start < page.first_row_end < len(page.text)
        for layout in ("pipe-rows", "one-cell", "pipe-cell", "markdown", "html"):
            page = render_page(report, Zoo(layout=layout, script="pinyin", seed=7))
            assert judge_uncut(page, parse_page(page)) == [], layout
