"""Errors inside one report: the identities I1, I3, I4, I5, counts I6, and blank totals (V5)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache

from ..formats import Equation, ValueType, get_format
from ..report import Report, Status
from ._describe import describe, short_row
from ._model import Context, Finding, Level, Side, check


def _side(report: Report, keys: tuple[str, ...]) -> Side:
    fmt = report.fmt
    names = " + ".join(describe(fmt, k) for k in keys) if len(keys) <= 4 else \
        f"{describe(fmt, keys[0])} … {describe(fmt, keys[-1])} 共{len(keys)}项之和"
    return Side(expr=names, keys=keys, value=sum((report.cell(k).number for k in keys), 0))


def equation_findings(report: Report, eq: Equation) -> tuple[Finding | None, list[str], list[str]]:
    """The finding for one equation instance (None when it holds), the missing keys, the blank keys."""
    keys = eq.lhs + eq.rhs
    cells = [report.cell(k) for k in keys]
    missing = [k for k, c in zip(keys, cells, strict=True) if c.status is Status.MISSING]
    if missing:
        return None, missing, []
    n = len(eq.lhs)
    if sum((c.number for c in cells[:n]), 0) == sum((c.number for c in cells[n:]), 0):
        return None, [], []  # holds: no need to name the sides
    lhs, rhs = _side(report, eq.lhs), _side(report, eq.rhs)
    blanks = [k for k in keys if report.cell(k).status is Status.BLANK]
    scope = _scope_name(report, eq)
    msg = (f"{eq.id}（{scope}）不成立：{eq.description}。左边 {lhs.expr} = {lhs.value}，"
           f"右边 {rhs.expr} = {rhs.value}，相差 {lhs.value - rhs.value}")
    return Finding(id=eq.id, level=Level.ERROR, message=msg, cells=keys, lhs=lhs, rhs=rhs, scope=eq.scope), [], blanks


def _scope_name(report: Report, eq: Equation) -> str:
    fmt = report.fmt
    if eq.id in ("I1", "I3"):
        return f"{fmt.s3.columns[[c.key for c in fmt.s3.columns].index(eq.scope)].label}列"
    if eq.id == "I4":
        try:
            return short_row(fmt.locate(f"s3.{eq.scope}.total")[1].label)
        except KeyError:
            return eq.scope
    if eq.id == "I5":
        col = next(c for c in fmt.s4.columns if c.key.startswith(eq.scope + "."))
        return col.group or eq.scope
    return eq.scope


@lru_cache(maxsize=32)  # (format id, collapsed groups, identity id): a handful of keys
def _equations_of(format_id: str, collapsed: frozenset[str], check_id: str) -> tuple[Equation, ...]:
    """The instances of one identity in a format, in the format's order (worked out once, not per report)."""
    return tuple(eq for eq in get_format(format_id).equations(collapsed=collapsed) if eq.id == check_id)


def _identity(check_id: str):  # type: ignore[no-untyped-def]
    def run(ctx: Context) -> Iterator[Finding]:
        report = ctx.report
        number = ctx.numbers.__getitem__
        missing_all: list[str] = []
        blanks_all: list[str] = []
        for eq in _equations_of(report.format, ctx.collapsed, check_id):
            try:
                # the same additions, in the same order, as equation_findings: an equation that holds with
                # every cell present has no finding, and nothing missing or blank to report
                if sum(map(number, eq.lhs), 0) == sum(map(number, eq.rhs), 0):
                    continue
            except (KeyError, ArithmeticError, TypeError):
                pass  # a cell is missing (or will not add): equation_findings handles it as it always has
            finding, missing, blanks = equation_findings(report, eq)
            missing_all += missing
            blanks_all += blanks
            if finding:
                yield finding
        if missing_all:
            uniq = list(dict.fromkeys(missing_all))
            yield Finding(id=check_id, level=Level.INFO, cells=tuple(uniq),
                          message=f"{check_id} 有部分等式因缺少 {len(uniq)} 个单元格未能检查："
                                  f"{'、'.join(uniq[:5])}{' 等' if len(uniq) > 5 else ''}")
        if blanks_all:
            uniq = list(dict.fromkeys(blanks_all))
            names = "、".join(describe(report.fmt, k) for k in uniq[:4])
            yield Finding(id="V5", level=Level.WARNING, cells=tuple(uniq),
                          message=f"{check_id} 不成立的等式中有空白单元格（按 0 计算）：{names}"
                                  f"{' 等' if len(uniq) > 4 else ''}。空白的总计不应被默认为 0，请核对原件")
    return run


check("I1", "本年新收 + 上年结转 = 办理结果总计 + 结转下年度（每列）")(_identity("I1"))
check("I3", "（七）总计 = 各办理结果之和（每列）")(_identity("I3"))
check("I4", "总计列 = 六类申请人之和（每行）")(_identity("I4"))
check("I5", "行政复议、行政诉讼各组总计 = 四项之和")(_identity("I5"))


@check("I6", "件数为非负整数，金额非负")
def counts_non_negative(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    for key, cell in report.cells.items():
        value = cell.value
        if value is None or (isinstance(value, int) and value >= 0):
            continue  # a non-negative whole number is right in every column
        fmt = report.format_for(key)
        vtype = fmt.value_type(key)
        if vtype is ValueType.SIGNED_INT:
            continue
        if cell.value < 0:
            what = "金额" if vtype in (ValueType.WAN_YUAN, ValueType.MONEY) else "件数"
            yield Finding(id="I6", level=Level.ERROR, cells=(key,),
                          message=f"{describe(fmt, key)} 为 {cell.value}：{what}不能为负数")
        elif vtype is ValueType.INT and isinstance(cell.value, Decimal):
            yield Finding(id="I6", level=Level.ERROR, cells=(key,),
                          message=f"{describe(fmt, key)} 为 {cell.value}：件数应为整数")


@check("S1", "非官方小计行 = 其下各项之和")
def subtotals(ctx: Context) -> Iterator[Finding]:
    """Non-official subtotal rows found in the document (V15), checked against their children."""
    report = ctx.report
    if not any(extra.kind == "subtotal" and extra.table == "s3" for extra in report.extras):
        return  # (most reports have none: no need to work out the groups)
    table = report.fmt.s3
    groups = {short_row(r.label): r.label for r in table.rows if r.key is None}
    children: dict[str, list[str]] = defaultdict(list)
    for r in table.rows:
        if r.parent and r.key:
            children[r.parent].append(r.key)
    cols = [c.key for c in table.columns]
    for extra in report.extras:
        if extra.kind != "subtotal" or extra.table != "s3" or len(extra.values) != len(cols):
            continue
        group = groups.get(short_row(extra.label)) or next((g for s, g in groups.items() if s in extra.label), None)
        if not group or not children.get(group):
            continue
        for col, cell in zip(cols, extra.values, strict=True):
            keys = tuple(f"s3.{r}.{col}" for r in children[group])
            if any(report.cell(k).status is Status.MISSING for k in keys) or cell.value is None:
                continue
            total = sum((report.cell(k).number for k in keys), 0)
            if total != cell.value:
                yield Finding(id="S1", level=Level.WARNING, cells=keys, scope=col,
                              lhs=Side(expr=f"{extra.label}（小计）", value=cell.value),
                              rhs=Side(expr="其下各项之和", keys=keys, value=total),
                              message=f"非官方小计行「{extra.label}」{col} 列为 {cell.value}，其下各项之和为 {total}")
