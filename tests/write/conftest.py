"""Reports for the writer tests: hand-made valid reports and a hypothesis strategy for random valid ones.

A valid report is built the way the identities demand: random counts on every result leaf × applicant
column, the 总计 column and the （七）总计 row as sums, a random 结转下年度 and 上年结转, and 本年新收
as what I1 leaves (新收 + 上年结转 = 总计 + 结转). Section 四 totals are sums of their four results.
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import strategies as st

from gongkai.formats import ValueType, get_format
from gongkai.report import Cell, Metadata, Report, SectionText, Status

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev"  # shared/ beside the checkout
AGENCIES = ("南岗区七政街道办事处", "淮安市人民政府", "上海市科学技术委员会", "沭阳县人民政府",
            "平潭综合实验区管理委员会", "某市某区教育局", "广州市天河区人民政府办公室")
TEXTS = {
    1: "本年度，本机关认真贯彻落实《条例》，持续推进主动公开、依申请公开和政府信息管理工作。\n全年主动公开政府信息若干条。",
    5: "（一）存在的主要问题：公开内容的及时性有待提高。\n（二）改进情况：进一步完善工作机制。",
    6: "本年度未收取信息处理费。",
}


def _s2_keys(fid: str) -> list[str]:
    return [k for k in get_format(fid).keys() if k.startswith("s2.")]  # noqa: SIM118 (a Format, not a dict)


def build_report(fid: str, *, s3: dict[tuple[str, str], int], carry_forward: dict[str, int],
                 carried_over: dict[str, int], s4: dict[str, tuple[int, int, int, int]], s2: dict[str, int | Decimal],
                 collapsed: bool = False, agency: str | None = "淮安市人民政府", year: int = 2024,
                 texts: bool = True) -> Report:
    fmt = get_format(fid)
    cols = [c.key for c in fmt.s3.columns if c.key != "total"]
    leaves = fmt.s3_leaves(collapsed=frozenset({"other"}) if collapsed else frozenset())
    cells: dict[str, int | Decimal] = dict(s2)
    totals = dict.fromkeys(cols, 0)
    for leaf in leaves:
        for c in cols:
            n = s3.get((leaf, c), 0)
            cells[f"s3.{leaf}.{c}"] = n
            totals[c] += n
        cells[f"s3.{leaf}.total"] = sum(s3.get((leaf, c), 0) for c in cols)
    for c in cols:
        cells[f"s3.total.{c}"] = totals[c]
        cells[f"s3.carry_forward.{c}"] = carry_forward.get(c, 0)
        co = min(carried_over.get(c, 0), totals[c] + carry_forward.get(c, 0))
        cells[f"s3.carried_over.{c}"] = co
        cells[f"s3.new.{c}"] = totals[c] + carry_forward.get(c, 0) - co
    for row in ("new", "carried_over", "total", "carry_forward"):
        cells[f"s3.{row}.total"] = sum(int(cells[f"s3.{row}.{c}"]) for c in cols)
    for block in ("review", "litigation_direct", "litigation_after_review"):
        parts = s4.get(block, (0, 0, 0, 0))
        for name, n in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            cells[f"s4.{block}.{name}"] = n
        cells[f"s4.{block}.total"] = sum(parts)
    for key in _s2_keys(fid):
        if key not in cells:
            cells[key] = Decimal(0) if fmt.value_type(key) in (ValueType.WAN_YUAN, ValueType.MONEY) else 0
    sections = tuple(SectionText(number=s.number, heading=s.heading, text=TEXTS.get(s.number, "") if texts else "",
                                 order=i) for i, s in enumerate(fmt.sections))
    md = Metadata(agency=agency, year=year, period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31))
    return Report(format=fid, metadata=md, sections=sections,
                  cells={k: Cell(value=v, status=Status.OK) for k, v in cells.items()})


def sample_report(fid: str = "2021", *, collapsed: bool = False, **kw: object) -> Report:
    """A fixed valid report with distinct numbers in every part of the template."""
    fmt = get_format(fid)
    cols = [c.key for c in fmt.s3.columns if c.key != "total"]
    leaves = fmt.s3_leaves(collapsed=frozenset({"other"}) if collapsed else frozenset())
    s3 = {(leaf, c): (i * 7 + j * 3) % 11 for i, leaf in enumerate(leaves) for j, c in enumerate(cols)}
    s2: dict[str, int | Decimal] = {}
    for i, key in enumerate(_s2_keys(fid)):
        vt = fmt.value_type(key)
        s2[key] = Decimal("12.345678") if vt is ValueType.WAN_YUAN else (
            Decimal("1520.5") if vt is ValueType.MONEY else (-3 if vt is ValueType.SIGNED_INT else 10 + i))
    return build_report(fid, s3=s3, carry_forward={"natural": 4, "legal_service": 1},
                        carried_over={"natural": 2, "commercial": 1},
                        s4={"review": (3, 1, 0, 2), "litigation_direct": (1, 0, 1, 0),
                            "litigation_after_review": (0, 2, 0, 1)},
                        s2=s2, collapsed=collapsed, **kw)  # type: ignore[arg-type]


class Case:
    """A drawn report with a short repr (hypothesis prints the falsifying example)."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def __repr__(self) -> str:
        r = self.report
        return f"Case({r.format}, {r.agency}, {r.year}, collapsed={set(r.collapsed)}, new={r.value('s3.new.total')})"


@st.composite
def valid_reports(draw: st.DrawFn, fid: str | None = None) -> Case:
    """Random valid reports of either format (and 2021 reports with （六） printed as one row)."""
    fid = fid or draw(st.sampled_from(["2021", "2019-trial"]))
    fmt = get_format(fid)
    collapsed = fid == "2021" and draw(st.booleans())
    cols = [c.key for c in fmt.s3.columns if c.key != "total"]
    leaves = fmt.s3_leaves(collapsed=frozenset({"other"}) if collapsed else frozenset())
    big = st.integers(0, 99999)
    count = st.one_of(st.just(0), st.integers(0, 30), big)
    s3 = {(leaf, c): draw(count) for leaf in leaves for c in cols}
    s2: dict[str, int | Decimal] = {}
    for key in _s2_keys(fid):
        vt = fmt.value_type(key)
        if vt in (ValueType.WAN_YUAN, ValueType.MONEY):
            s2[key] = Decimal(draw(st.integers(0, 10**12))).scaleb(-draw(st.integers(0, 6)))
        elif vt is ValueType.SIGNED_INT:
            s2[key] = draw(st.integers(-500, 500))
        else:
            s2[key] = draw(st.one_of(st.integers(0, 50), st.integers(0, 9_999_999)))
    s4 = {b: tuple(draw(st.integers(0, 40)) for _ in range(4))
          for b in ("review", "litigation_direct", "litigation_after_review")}
    return Case(build_report(fid, s3=s3, s2=s2, s4=s4,  # type: ignore[arg-type]
                             carry_forward={c: draw(st.integers(0, 60)) for c in cols},
                             carried_over={c: draw(st.integers(0, 60)) for c in cols}, collapsed=collapsed,
                             agency=draw(st.sampled_from(AGENCIES)), year=draw(st.integers(2019, 2026)),
                             texts=draw(st.booleans())))


def corpus_reports() -> list[tuple[str, Report]]:
    out = []
    for path in sorted(CORPUS.glob("*.expected.json")):
        d = json.loads(path.read_text())
        out.append((path.name.removesuffix(".expected.json"),
                    Report.from_data({"format": d["format"], "agency": d["agency"], "year": d["year"],
                                      "cells": d["cells"]})))
    return out


@pytest.fixture(params=["2021", "2019-trial", "2021-collapsed"])
def report(request: pytest.FixtureRequest) -> Report:
    fid = request.param.removesuffix("-collapsed")
    return sample_report(fid, collapsed=request.param.endswith("collapsed"))
