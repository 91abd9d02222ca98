"""Checks across years for one body (Y−1 → Y): X1–X4."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..report import Report, Status
from ._describe import describe
from ._model import Context, Finding, Level, Number, Side, check

NARRATIVE_SECTIONS = (1, 5, 6)
SHINGLE = 8  # characters; long enough that shared boilerplate phrases count, short words do not


def _pair(ctx: Context) -> tuple[Report, Report] | None:
    assert ctx.previous is not None
    return ctx.report, ctx.previous


def _year_note(ctx: Context) -> Iterator[Finding]:
    cur, prev = ctx.report, ctx.previous
    assert prev is not None
    if cur.year and prev.year and prev.year != cur.year - 1:
        yield Finding(id="X0", level=Level.INFO,
                      message=f"上一年度报告的年份是 {prev.year}，本报告是 {cur.year}：跨年检查按相邻年度解读")
    if cur.agency and prev.agency and cur.agency != prev.agency:
        yield Finding(id="X0", level=Level.INFO, message=f"两份报告的机关名称不同：{prev.agency} / {cur.agency}")


@dataclass(frozen=True)
class ChainRow:
    """One instance of a cross-year identity with both sides, whether it holds or not (the evidence)."""

    check: str  # X1, X2, X3
    scope: str  # the column (X1) or item (X2, X3)
    label: str  # 自然人, 行政规范性文件 …
    lhs_expr: str
    lhs: Number
    rhs_expr: str
    rhs: Number
    keys: tuple[str, ...] = ()
    parts: tuple[Number, ...] = ()  # X2: last in_force, issued, repealed; X3: last prev_year_items, delta

    @property
    def holds(self) -> bool:
        return self.lhs == self.rhs


def x1_rows(cur: Report, prev: Report) -> list[ChainRow]:
    """X1 for every column both years print: this year's 上年结转 against last year's 结转下年度."""
    rows = []
    for column in cur.fmt.s3.columns:
        col = column.key
        a_key, b_key = f"s3.carried_over.{col}", f"s3.carry_forward.{col}"
        a, b = cur.cell(a_key), prev.cell(b_key)
        if Status.MISSING in (a.status, b.status):
            continue
        rows.append(ChainRow("X1", col, column.label, f"{cur.year or '本'}年 {describe(cur.fmt, a_key)}", a.number,
                             f"{prev.year or '上'}年 {describe(prev.fmt, b_key)}", b.number, (a_key, b_key)))
    return rows


def x2_rows(cur: Report, prev: Report) -> list[ChainRow]:
    """X2 (2021 format both years): 现行有效 against last year's 现行有效 + 本年制发 − 本年废止."""
    if cur.format_for("s2.").id != "2021" or prev.format_for("s2.").id != "2021":
        return []
    rows = []
    for item in ("rules", "normative_docs"):
        keys = tuple(f"s2.{item}.{c}" for c in ("in_force", "issued", "repealed"))
        vals = [cur.cell(k) for k in keys]
        last = prev.cell(f"s2.{item}.in_force")
        if any(c.status is Status.MISSING for c in [*vals, last]):
            continue
        in_force, issued, repealed = (c.number for c in vals)
        rows.append(ChainRow("X2", item, cur.fmt.locate(keys[0])[1].label, describe(cur.fmt, keys[0]), in_force,
                             "上年现行有效 + 本年制发 − 本年废止", last.number + issued - repealed, keys,
                             (last.number, issued, repealed)))
    return rows


def x3_rows(cur: Report, prev: Report) -> list[ChainRow]:
    """X3 (2019 format both years): 上一年项目数量 against last year's 上一年项目数量 + 本年增/减."""
    if cur.format_for("s2.").id != "2019-trial" or prev.format_for("s2.").id != "2019-trial":
        return []
    rows = []
    for item in ("licensing", "other_services", "penalty", "coercion", "fees"):
        key = f"s2.{item}.prev_year_items"
        now = cur.cell(key)
        before, delta = prev.cell(key), prev.cell(f"s2.{item}.delta")
        if Status.MISSING in (now.status, before.status, delta.status):
            continue
        rows.append(ChainRow("X3", item, cur.format_for(key).locate(key)[1].label,
                             describe(cur.format_for(key), key), now.number,
                             "上年的上一年项目数量 + 上年的本年增/减", before.number + delta.number, (key,),
                             (before.number, delta.number)))
    return rows


@check("X1", "本年上年结转 = 上年结转下年度", cross_year=True)
def carried_over_chain(ctx: Context) -> Iterator[Finding]:
    yield from _year_note(ctx)
    cur, prev = _pair(ctx) or (None, None)
    assert cur and prev
    for row in x1_rows(cur, prev):
        if not row.holds:
            yield Finding(id="X1", level=Level.WARNING, cells=(row.keys[0],), scope=row.scope,
                          lhs=Side(expr=row.lhs_expr, keys=(row.keys[0],), value=row.lhs),
                          rhs=Side(expr=row.rhs_expr, keys=(row.keys[1],), value=row.rhs),
                          message=f"X1（{row.label}列）：本年上年结转 {row.lhs} ≠ 上年报告结转下年度 {row.rhs}"
                                  "（机构合并、拆分或更正时可标记为例外）")


@check("X2", "2021 格式：现行有效 = 上年现行有效 + 本年制发 − 本年废止", cross_year=True)
def in_force_chain(ctx: Context) -> Iterator[Finding]:
    assert ctx.previous is not None
    for row in x2_rows(ctx.report, ctx.previous):
        if not row.holds:
            last, issued, repealed = row.parts
            yield Finding(id="X2", level=Level.WARNING, cells=row.keys,
                          lhs=Side(expr=row.lhs_expr, keys=(row.keys[0],), value=row.lhs),
                          rhs=Side(expr=row.rhs_expr, value=row.rhs),
                          message=f"X2（弱提示）：{row.lhs_expr} 为 {row.lhs}，按上年现行有效 {last} + 本年制发 {issued}"
                                  f" − 本年废止 {repealed} 应为 {row.rhs}（失效、清理、改革也会造成差异）")


@check("X3", "2019 格式：上一年项目数量(Y) = 上一年项目数量(Y−1) + 本年增/减(Y−1)", cross_year=True)
def items_chain(ctx: Context) -> Iterator[Finding]:
    assert ctx.previous is not None
    for row in x3_rows(ctx.report, ctx.previous):
        if not row.holds:
            before, delta = row.parts
            yield Finding(id="X3", level=Level.WARNING, cells=row.keys,
                          lhs=Side(expr=row.lhs_expr, value=row.lhs),
                          rhs=Side(expr=row.rhs_expr, value=row.rhs),
                          message=f"X3：{row.lhs_expr} 为 {row.lhs}，按上年报告应为 {before} + {delta} = {row.rhs}")


def _clean(text: str) -> str:
    return re.sub(r"[\s\u3000，。、；：！？,.;:!?“”\"'（）()《》【】\-—]+", "", text)


def repetition_rate(current: str, previous: str, *, size: int = SHINGLE) -> float:
    """Share of the characters of ``current`` covered by ``size``-character runs that also occur in ``previous``."""
    cur, prev = _clean(current), _clean(previous)
    if len(cur) < size or len(prev) < size:
        return 0.0
    seen = {prev[i:i + size] for i in range(len(prev) - size + 1)}
    covered = bytearray(len(cur))
    for i in range(len(cur) - size + 1):
        if cur[i:i + size] in seen:
            covered[i:i + size] = b"\x01" * size
    return sum(covered) / len(cur)


@check("X4", "正文重复率（第一、五、六部分）", cross_year=True)
def narrative_repetition(ctx: Context) -> Iterator[Finding]:
    cur, prev = ctx.report, ctx.previous
    assert prev is not None
    texts = ["\n".join(s.text for s in r.sections if s.number in NARRATIVE_SECTIONS) for r in (cur, prev)]
    if not texts[0].strip() or not texts[1].strip():
        yield Finding(id="X4", level=Level.INFO, message="X4 未计算：缺少本年或上年第一、五、六部分的文本")
        return
    rate = repetition_rate(texts[0], texts[1])
    parts = []
    for n in NARRATIVE_SECTIONS:
        a, b = cur.section(n), prev.section(n)
        if a and b and a.text.strip():
            parts.append(f"{'一二三四五六'[n - 1]} {repetition_rate(a.text, b.text):.0%}")
    level = Level.WARNING if rate > ctx.options.repetition_limit else Level.INFO
    yield Finding(id="X4", level=level, lhs=Side(expr="重复率", value=None), scope=f"{rate:.4f}",
                  message=f"正文与上年报告的重复率为 {rate:.1%}（{'，'.join(parts)}）"
                          + ("，超过 50%，考核时可能扣分" if level is Level.WARNING else ""))
