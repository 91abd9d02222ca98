"""Warnings inside one report (report-format.md §4.2, all [INFERRED]): W1–W9."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal

from ..formats import BodyKind, Format, infer_body
from ..formats import Level as BodyLevel
from ..formats.vocab import FEE_WORDS, KIND_NAMES, LEVEL_NAMES, NO_FEE_PATTERNS
from ..narrative import report_facts
from ..report import NUMERALS, NarrativeFact, Report, Status
from ._describe import describe
from ._model import Context, Finding, Level, Side, check


def _needs(check_id: str, what: str) -> Finding:
    return Finding(id=check_id, level=Level.INFO, message=f"{check_id} 未检查：{what}")


def _body(report: Report) -> tuple[BodyKind | None, BodyLevel | None]:
    kind, level = report.metadata.body_kind, report.metadata.level
    if kind is None or level is None:
        guess_kind, guess_level = infer_body(report.metadata.agency)
        kind, level = kind or guess_kind, level or guess_level
    return kind, level


def table_value(report: Report, key: str) -> int | Decimal | None:
    """The table's value for a narrative fact's key (行政诉讼 adds its two blocks); None when missing."""
    if key == "s4.litigation.total":
        parts = [report.cell(k) for k in ("s4.litigation_direct.total", "s4.litigation_after_review.total")]
        if any(c.status is Status.MISSING for c in parts):
            return None
        return sum((c.number for c in parts), 0)
    cell = report.cell(key)
    return None if cell.status is Status.MISSING else cell.number


def fact_against_table(report: Report, fact: NarrativeFact) -> tuple[int | Decimal | None, bool | None]:
    """A narrative fact's table value and whether the two agree (None: nothing in the table to compare with)."""
    table = table_value(report, fact.key)
    if table is None:
        return None, None
    if table == fact.value:
        return table, True
    if fact.key == "s3.new.total":  # 共收到 sometimes includes the carried-over applications
        carried = table_value(report, "s3.carried_over.total")
        return table, carried is not None and table + carried == fact.value
    return table, False


def fact_label(fmt: Format, key: str) -> str:
    """What a narrative fact's key is called in ``fmt`` (行政诉讼总计 is the sum of two blocks, no cell)."""
    return "行政诉讼总计" if key == "s4.litigation.total" else describe(fmt, key)


@check("W1", "正文数字与表格一致")
def narrative_vs_tables(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    facts = report_facts(report)
    if not facts:
        if not report.sections:
            yield _needs("W1", "报告没有正文文本")
        return
    for fact in facts:
        table, agrees = fact_against_table(report, fact)
        if agrees is not False:
            continue
        name = fact_label(report.fmt, fact.key)
        yield Finding(id="W1", level=Level.WARNING, cells=(fact.key,) if fact.key in report.cells else (),
                      lhs=Side(expr=f"正文「{fact.text}」", value=fact.value),
                      rhs=Side(expr=name, keys=(fact.key,), value=table),
                      message=f"正文「{fact.text}」写 {fact.value}，表格 {name} 为 {table}")


@check("W10", "正文数字与渠道台账一致")
def narrative_vs_outreach_log(ctx: Context) -> Iterator[Finding]:
    """Meetings, lectures, media, 公告栏 and 公众号 numbers of the narrative against the body's channel log
    (given only by the web app, which keeps the log; nothing to check without it)."""
    if ctx.outreach is None:
        return
    from ..outreach import label, mismatches

    text = "\n".join(s.text for s in ctx.report.sections)
    for m in mismatches(text, ctx.outreach):
        yield Finding(id="W10", level=Level.WARNING, scope=m.key,
                      lhs=Side(expr=f"正文「{m.stated.text}」", value=m.stated.value),
                      rhs=Side(expr=f"渠道台账{label(m.key)}", value=m.logged), message=m.message)


@check("W2", "规章数据只应出现在有规章制定权的机关")
def rules_only_for_rule_makers(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    keys = [k for k in report.cells if k.startswith("s2.rules.")]
    nonzero = [k for k in keys if (report.value(k) or 0) > 0]
    if not nonzero:
        return
    kind, level = _body(report)
    if kind is None or level is None:
        yield _needs("W2", "无法判断机关的类别和层级（可在 metadata 中填写 body_kind、level）")
        return
    may = level is BodyLevel.NATIONAL or (kind is BodyKind.GOVERNMENT
                                          and level in (BodyLevel.PROVINCIAL, BodyLevel.PREFECTURE))
    if not may:
        yield Finding(id="W2", level=Level.WARNING, cells=tuple(nonzero),
                      message=f"{LEVEL_NAMES[level]}{KIND_NAMES[kind]}一般没有规章制定权，"
                              f"但报告了规章数据（{'、'.join(f'{describe(report.fmt, k)}={report.value(k)}' for k in nonzero)}）")


@check("W3", "行政事业性收费金额单位应为万元")
def fee_unit(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    key = "s2.fees.amount"
    cell = report.cell(key)
    if cell.status is Status.MISSING or cell.value is None:
        return
    value = Decimal(cell.value)
    raw = cell.raw or ""
    problems = []
    if cell.unit == "元" or ("元" in raw and "万" not in raw):
        problems.append("单元格写明的单位是元，而格式要求万元")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -6:
        problems.append(f"有 {-exponent} 位小数，超过万元的 6 位（1 元 = 0.0001 万元），疑似按元填写")
    _, level = _body(report)
    if level in (BodyLevel.TOWNSHIP, BodyLevel.COUNTY) and value > ctx.options.small_body_fee_limit:
        problems.append(f"{LEVEL_NAMES[level]}机关收费 {value} 万元，数额异常大，疑似按元填写")
    for p in problems:
        yield Finding(id="W3", level=Level.WARNING, cells=(key,), message=f"行政事业性收费金额 {value}：{p}")


_NO_FEE = tuple(re.compile(p, re.MULTILINE) for p in NO_FEE_PATTERNS)


def _mentions_fee(text: str) -> bool:
    return any(w in text for w in FEE_WORDS) or any(p.search(text) for p in _NO_FEE)


@check("W4", "第六部分应说明信息处理费")
def processing_fee_stated(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    six = report.section(6)
    fee_notices = report.value("s3.other.no_fee.total") or 0
    if six is None:
        if report.sections:
            yield Finding(id="W4", level=Level.WARNING, message="缺少第六部分，无法确认信息处理费收取情况")
        else:
            yield _needs("W4", "报告没有第六部分文本")
        return
    if not _mentions_fee(six.text):
        msg = "第六部分未说明信息处理费的收取情况（应写明金额，或写明未收取）"
        if fee_notices:
            msg += f"；而表三显示有 {fee_notices} 件申请因逾期未缴费不再处理，说明发出过收费通知"
        no_fee_keys = tuple(k for k in report.cells if k.startswith("s3.other.no_fee.")) if fee_notices else ()
        yield Finding(id="W4", level=Level.WARNING, message=msg, cells=no_fee_keys)


@check("W5", "有制发而现行有效为 0")
def issued_but_none_in_force(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    for item in ("rules", "normative_docs"):
        issued, in_force = report.value(f"s2.{item}.issued"), report.value(f"s2.{item}.in_force")
        if issued and issued > 0 and in_force == 0:
            yield Finding(id="W5", level=Level.WARNING, cells=(f"s2.{item}.issued", f"s2.{item}.in_force"),
                          message=f"{describe(report.fmt, f's2.{item}.issued')} 为 {issued}，"
                                  f"但现行有效件数为 0，请核对")


@check("W6", "2019 格式：对外公开总数量 ≥ 本年新公开数量")
def total_published_at_least_new(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    fmt = report.format_for("s2.")
    if fmt.id != "2019-trial":
        return
    for item in ("rules", "normative_docs"):
        new, total = report.value(f"s2.{item}.new_published"), report.value(f"s2.{item}.total_published")
        if new is not None and total is not None and total < new:
            yield Finding(id="W6", level=Level.WARNING,
                          cells=(f"s2.{item}.new_published", f"s2.{item}.total_published"),
                          lhs=Side(expr=describe(fmt, f"s2.{item}.total_published"), value=total),
                          rhs=Side(expr=describe(fmt, f"s2.{item}.new_published"), value=new),
                          message=f"{describe(fmt, f's2.{item}.total_published')} {total} 小于本年新公开数量 {new}")


@check("W7", "六个部分齐全且顺序正确")
def six_sections(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    if not report.sections:
        yield _needs("W7", "报告没有章节文本")
        return
    present = {s.number for s in report.sections}
    headings = {s.number: s.heading for s in report.fmt.sections}
    missing = [n for n in range(1, 7) if n not in present]
    if missing:
        yield Finding(id="W7", level=Level.WARNING,
                      message="缺少部分：" + "、".join(headings[n] for n in missing))
    order = [s.number for s in sorted(report.sections, key=lambda s: s.order)]
    if order != sorted(order):
        yield Finding(id="W7", level=Level.WARNING,
                      message="各部分顺序不对：" + " → ".join(NUMERALS[n - 1] for n in order))


@check("W8", "统计期限为报告年度 1 月 1 日至 12 月 31 日")
def statistics_period(ctx: Context) -> Iterator[Finding]:
    meta = ctx.report.metadata
    if meta.period_start is None or meta.period_end is None or meta.year is None:
        if ctx.report.sections:
            yield _needs("W8", "报告未写明统计期限")
        return
    want = (dt.date(meta.year, 1, 1), dt.date(meta.year, 12, 31))
    if (meta.period_start, meta.period_end) != want:
        yield Finding(id="W8", level=Level.WARNING,
                      message=f"统计期限为 {meta.period_start:%Y年%-m月%-d日} 至 {meta.period_end:%Y年%-m月%-d日}，"
                              f"应为 {meta.year}年1月1日至{meta.year}年12月31日")


def report_deadline(year: int, kind: BodyKind | None, level: BodyLevel | None,
                    township_deadline: tuple[int, int] | None) -> tuple[dt.date | None, str]:
    """The publication deadline of a report for ``year`` (第四十九条) and its basis."""
    if level is BodyLevel.TOWNSHIP:
        if township_deadline is None:
            return None, "乡镇（街道）报告期限由地方规定"
        return dt.date(year + 1, *township_deadline), "地方规定（可设置）"
    if kind is BodyKind.DEPARTMENT:
        return dt.date(year + 1, 1, 31), "第四十九条：县级以上人民政府部门于每年1月31日前公布"
    if kind is BodyKind.GOVERNMENT:
        return dt.date(year + 1, 3, 31), "第四十九条：县级以上地方人民政府于每年3月31日前公布"
    return None, "无法判断机关类别"


@check("W9", "按期发布")
def published_on_time(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    meta = report.metadata
    if meta.publish_date is None or meta.year is None:
        return
    kind, level = _body(report)
    deadline, basis = report_deadline(meta.year, kind, level, ctx.options.township_deadline)
    if deadline is None:
        yield _needs("W9", basis)
    elif meta.publish_date > deadline:
        yield Finding(id="W9", level=Level.WARNING,
                      message=f"发布日期 {meta.publish_date:%Y-%m-%d} 晚于期限 {deadline:%Y-%m-%d}（{basis}）")
