"""Checks across years for one body (Y−1 → Y): X1–X4."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..report import Report, Status
from ._describe import describe
from ._model import Context, Finding, Level, Side, check

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


@check("X1", "本年上年结转 = 上年结转下年度", cross_year=True)
def carried_over_chain(ctx: Context) -> Iterator[Finding]:
    yield from _year_note(ctx)
    cur, prev = _pair(ctx) or (None, None)
    assert cur and prev
    for col in (c.key for c in cur.fmt.s3.columns):
        a, b = cur.cell(f"s3.carried_over.{col}"), prev.cell(f"s3.carry_forward.{col}")
        if Status.MISSING in (a.status, b.status):
            continue
        if a.number != b.number:
            yield Finding(id="X1", level=Level.WARNING, cells=(f"s3.carried_over.{col}",), scope=col,
                          lhs=Side(expr=f"{cur.year or '本'}年 {describe(cur.fmt, a_key := f's3.carried_over.{col}')}",
                                   keys=(a_key,), value=a.number),
                          rhs=Side(expr=f"{prev.year or '上'}年 {describe(prev.fmt, f's3.carry_forward.{col}')}",
                                   keys=(f"s3.carry_forward.{col}",), value=b.number),
                          message=f"X1（{cur.fmt.s3.columns[[c.key for c in cur.fmt.s3.columns].index(col)].label}列）："
                                  f"本年上年结转 {a.number} ≠ 上年报告结转下年度 {b.number}"
                                  "（机构合并、拆分或更正时可标记为例外）")


@check("X2", "2021 格式：现行有效 = 上年现行有效 + 本年制发 − 本年废止", cross_year=True)
def in_force_chain(ctx: Context) -> Iterator[Finding]:
    cur, prev = ctx.report, ctx.previous
    assert prev is not None
    if cur.format_for("s2.").id != "2021" or prev.format_for("s2.").id != "2021":
        return
    for item in ("rules", "normative_docs"):
        keys = [f"s2.{item}.{c}" for c in ("in_force", "issued", "repealed")]
        vals = [cur.cell(k) for k in keys]
        last = prev.cell(f"s2.{item}.in_force")
        if any(c.status is Status.MISSING for c in [*vals, last]):
            continue
        in_force, issued, repealed = (c.number for c in vals)
        expected = last.number + issued - repealed
        if in_force != expected:
            name = describe(cur.fmt, keys[0])
            yield Finding(id="X2", level=Level.WARNING, cells=tuple(keys),
                          lhs=Side(expr=name, keys=(keys[0],), value=in_force),
                          rhs=Side(expr="上年现行有效 + 本年制发 − 本年废止", value=expected),
                          message=f"X2（弱提示）：{name} 为 {in_force}，按上年现行有效 {last.number} + 本年制发 {issued}"
                                  f" − 本年废止 {repealed} 应为 {expected}（失效、清理、改革也会造成差异）")


@check("X3", "2019 格式：上一年项目数量(Y) = 上一年项目数量(Y−1) + 本年增/减(Y−1)", cross_year=True)
def items_chain(ctx: Context) -> Iterator[Finding]:
    cur, prev = ctx.report, ctx.previous
    assert prev is not None
    if cur.format_for("s2.").id != "2019-trial" or prev.format_for("s2.").id != "2019-trial":
        return
    for item in ("licensing", "other_services", "penalty", "coercion", "fees"):
        now = cur.cell(f"s2.{item}.prev_year_items")
        before, delta = prev.cell(f"s2.{item}.prev_year_items"), prev.cell(f"s2.{item}.delta")
        if Status.MISSING in (now.status, before.status, delta.status):
            continue
        if now.number != before.number + delta.number:
            yield Finding(id="X3", level=Level.WARNING, cells=(f"s2.{item}.prev_year_items",),
                          lhs=Side(expr=describe(cur.fmt, f"s2.{item}.prev_year_items"), value=now.number),
                          rhs=Side(expr="上年的上一年项目数量 + 上年的本年增/减", value=before.number + delta.number),
                          message=f"X3：{describe(cur.fmt, f's2.{item}.prev_year_items')} 为 {now.number}，"
                                  f"按上年报告应为 {before.number} + {delta.number} = {before.number + delta.number}")


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
